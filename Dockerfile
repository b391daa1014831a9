# The hub for deployments that bring their own Neo4j (docker-compose.yml, a cluster, Aura):
# with CONVENER_NEO4J_URI set the hub never starts the local Neo4j, so no Java is needed here.
FROM python:3.11-slim

WORKDIR /app
# Dependencies from the lock first (exact versions, hashes checked; a layer that stays cached
# while only the code changes), then the hub itself without resolving anything again.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY hub ./hub
COPY schema ./schema
COPY connectors ./connectors
COPY graph ./graph
COPY explorer/public ./explorer/public
# Contributions' uploaded files live in /var/lib/convener/files (mount a volume there; hubs
# serving one graph share it), owned by the hub's user so a fresh volume is writable.
RUN pip install --no-cache-dir --no-deps . && useradd --create-home convener \
    && mkdir -p /var/lib/convener/files && chown -R convener /var/lib/convener
USER convener

ENV CONVENER_HOST=0.0.0.0 CONVENER_PORT=8000 CONVENER_FILES_DIR=/var/lib/convener/files
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --retries=5 \
  CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/readyz')" || exit 1
CMD ["convener", "serve"]
