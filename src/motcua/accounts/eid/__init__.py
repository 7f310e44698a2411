"""Sign-in with the electronic ID (VNeID or another provider).

`base` is the interface every provider implements, `oidc` the OpenID Connect provider (built on Authlib),
`backends` chooses the provider from settings, `linking` finds or creates the citizen's account, and
`views`/`urls` are the two pages of the flow (start, callback).
"""
