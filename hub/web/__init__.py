"""The web app: the Starlette application and everything on the request path.

Nothing here imports the command line (typer, rich): a request never pays for it.
"""
