"""Pages for citizens (`citizen`: submit, my dossiers, track, verify), the dossier page with
its actions (`dossier`) and the officials' workspace and register (`workspace`). Thin: services decide."""
