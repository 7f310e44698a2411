"""The official forms of Circular 03/2025/TT-VPCP, Annex I.

Forms 01-06 are rendered as A4 PDF (`official_forms`, through `core.pdf`), Form 07 (the dossier register)
as an XLSX workbook (`register`). Official forms are Vietnamese whatever language the portal is shown
in, so every label (`labels`) is Vietnamese text, not a translatable string, and rendering happens under
`translation.override("vi")`. Times are shown in local time (settings.TIME_ZONE) by `formatting`.
"""
