"""The app's routes, one module per area: auth (set-up, sign-in, welcome), accounts, check, api."""
