FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8000 ENVIRONMENT=production
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN useradd --create-home wijkentree && mkdir -p data && chown wijkentree data
USER wijkentree
EXPOSE 8000
CMD ["sh", "-c", ".venv/bin/python -m app db upgrade && .venv/bin/python -m app seed && exec .venv/bin/uvicorn app.main:app --host $HOST --port $PORT --proxy-headers --no-access-log --no-server-header"]
