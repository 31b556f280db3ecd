# Production image: gunicorn serves the portal; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=nmo_portal.settings.production NMO_VAR_DIR=/var/lib/nmo

# WeasyPrint needs Pango; fonts with Cyrillic for the PDFs; pg_dump for backups.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
      fonts-dejavu-core postgresql-client curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
RUN SECRET_KEY=build-only-build-only-build-only-build-only DEFAULT_FROM_EMAIL=build@example.org \
    DJANGO_SETTINGS_MODULE=nmo_portal.settings.production python manage.py collectstatic --noinput \
 && useradd --system --home /var/lib/nmo nmo && mkdir -p /var/lib/nmo && chown -R nmo /var/lib/nmo

USER nmo
EXPOSE 8000
CMD ["gunicorn", "nmo_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
