"""Uploaded files: what they are (by content), their safe names, their text, and where their
bytes live (a directory of content hashes that several hubs may share)."""
