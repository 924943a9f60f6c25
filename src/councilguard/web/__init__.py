"""The web app: check-before-you-post for councillors and the Proper Officer's desk (FastAPI, server-rendered)."""
