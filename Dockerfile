# Haven's production image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    HAVEN_VAR_DIR=/var/lib/haven

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv==0.13.9 \
 && useradd --system --home /app --uid 10001 haven \
 && mkdir -p /var/lib/haven/private && chown -R haven /var/lib/haven

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev
COPY . .
RUN DJANGO_SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only \
    DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput

USER haven
EXPOSE 8000
# The access log's format (no query strings, no Referer) is in config/gunicorn.py.
# Forwarded headers are believed only from FORWARDED_ALLOW_IPS (gunicorn reads it from the
# environment; docker-compose.yml sets it to the proxy's address; unset: localhost only).
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py", \
     "--bind", "0.0.0.0:8000", "--workers", "3"]
