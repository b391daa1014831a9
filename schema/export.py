"""Write the API's SDL to ``schema/schema.graphql``: ``python -m schema.export``.

The file is what clients and other hubs read to see the contract; a test fails when it and
the code drift apart, so change the code, then run this.
"""

from __future__ import annotations

import sys
from pathlib import Path

from schema.api import schema

SDL_FILE = Path(__file__).parent / "schema.graphql"


def sdl() -> str:
    return schema.as_str() + "\n"


def main() -> int:
    SDL_FILE.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SDL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
