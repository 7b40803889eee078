# The webhook service: the pinned requirements, the code and the committed catalog (data/) baked
# into the image, run as an unprivileged user. Configure it with environment variables (README,
# "Running the bot"): TELEGRAM_BOT_TOKEN, WEBHOOK_URL, WEBHOOK_SECRET, PORT and, for replicas,
# MOVIEREC_DATABASE_URL. Without a database URL the state goes to SQLite in /app/state.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8443

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt \
    && useradd --system --create-home --uid 10001 movierec \
    && mkdir state && chown movierec state

COPY data/ data/
COPY movierec/ movierec/
COPY handlers/ handlers/
COPY bot.py ./
# Unpack the compressed arrays once, at build time: the image's data/ is read-only to the app
# user, and without data/.unpacked every start would decompress them again (~2 s, more RAM).
RUN python -c "from movierec.engine import Engine; Engine.load()"

USER movierec
EXPOSE ${PORT}
CMD ["python", "bot.py"]
