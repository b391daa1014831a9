"""The Convener application: configuration, the web app, the CLI and sync orchestration."""
