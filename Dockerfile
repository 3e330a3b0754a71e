# Two stages: the build stage installs the locked runtime dependencies with uv; the runtime image has only the
# virtual environment and the app, runs as a user without rights, and reports its health on /healthz.
# Migrations are a one-off (docker run IMAGE python -m app db upgrade), not part of start-up, so that several
# replicas never migrate at once. For the embedded SQLite default, MIGRATE_ON_START=1 migrates and seeds first.
FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8000 ENVIRONMENT=production \
    PATH=/app/.venv/bin:$PATH MIGRATE_ON_START=0
RUN useradd --create-home --uid 10001 wijkentree
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY alembic.ini ./
COPY app app
COPY migrations migrations
COPY geo geo
COPY seed seed
COPY static static
COPY templates templates
RUN mkdir -p data && chown wijkentree data
USER wijkentree
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["sh", "-c", "if [ \"$MIGRATE_ON_START\" = 1 ]; then python -m app db upgrade && python -m app seed; fi; exec uvicorn app.main:app --host $HOST --port $PORT --proxy-headers --no-access-log --no-server-header"]
