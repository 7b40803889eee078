"""Every text the bot shows, in Spanish and English: the one place to read or change them.

Templates may hold HTML tags; every value filled in is escaped by :func:`say`. A text that
depends on a count has two entries, ``key_one`` and ``key_other`` (:func:`count`). Numbers,
money and dates are written the way each language writes them (:func:`number`, :func:`money`,
:func:`date`).
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from collections.abc import Iterable, Sequence

from movierec.search.calendar import MONTH_NAMES, WEEKDAY_NAMES

LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "en"

MONTHS = MONTH_NAMES
WEEKDAYS = WEEKDAY_NAMES

# TMDB's genres, as a Spanish speaker says them (English is the catalog's own)
GENRES_ES = {
    "Action": "Acción",
    "Adventure": "Aventura",
    "Animation": "Animación",
    "Comedy": "Comedia",
    "Crime": "Crimen",
    "Documentary": "Documental",
    "Drama": "Drama",
    "Family": "Familia",
    "Fantasy": "Fantasía",
    "Foreign": "Extranjera",
    "History": "Historia",
    "Horror": "Terror",
    "Music": "Música",
    "Mystery": "Misterio",
    "Romance": "Romance",
    "Science Fiction": "Ciencia ficción",
    "TV Movie": "Película de TV",
    "Thriller": "Suspense",
    "War": "Bélica",
    "Western": "Western",
}

TEXTS: dict[str, dict[str, str]] = {
    "es": {
        "start": (
            "¡Hola, {name}! Soy <b>movierec</b>: te cuento cosas de películas y te recomiendo "
            "qué ver.\nEscríbeme un título o usa /ayuda para ver lo que sé hacer."
        ),
        "start_group": (
            "¡Hola! Soy <b>movierec</b>: te cuento cosas de películas y te recomiendo qué ver.\n"
            "En los grupos respondo a órdenes, como /score <i>Toy Story</i>. Todo en /ayuda."
        ),
        "help": (
            "<b>Lo que sé hacer</b>\n"
            "/mes <i>enero</i> — películas estrenadas ese mes\n"
            "/dia <i>viernes</i> — estrenadas ese día de la semana\n"
            "/score <i>Toy Story</i> — año y popularidad\n"
            "/votos <i>Titanic 1997</i> — votos y media (desde 2000 votos)\n"
            "/actor <i>Penélope Cruz</i> — películas y retorno\n"
            "/director <i>Almodóvar</i> — retorno y cada película\n"
            "/recomendar <i>Heat 1995</i> — cinco películas parecidas "
            "(o a varias: <i>Heat, Alien</i>)\n"
            "/descubrir <i>comedia corta de los 90</i> · /azar · /saga <i>Toy Story</i>\n"
            "/vista <i>Heat 4/5</i> · /pendiente <i>Alien</i> · /lista · /vistas — tus películas\n"
            "/parami — recomendaciones según lo que te gustó\n"
            "/misdatos · /olvidame — lo que guardo de ti, y borrarlo\n"
            "/idioma <i>en</i> — speak English\n"
            "En privado, escribe un título y te enseño su ficha. En cualquier chat: "
            "<code>@{bot} título</code>."
        ),
        "ask_month": "¿Qué mes? (por ejemplo: enero)",
        "ask_weekday": "¿Qué día de la semana? (por ejemplo: viernes)",
        "ask_title": "¿Qué película?",
        "ask_actor": "¿Qué actor o actriz?",
        "ask_director": "¿Qué director o directora?",
        "month_result": "En <b>{month}</b> se estrenaron <b>{count}</b> películas.",
        "weekday_result": "Un <b>{weekday}</b> se estrenaron <b>{count}</b> películas.",
        "score_result": (
            "<b>{title}</b> ({year})\nPopularidad: <b>{popularity}</b>\n"
            "Puntuación media: {average}/10"
        ),
        "votes_ok": (
            "<b>{title}</b> ({year}) tiene <b>{count}</b> votos, con una media de "
            "<b>{average}</b>/10."
        ),
        "votes_too_few": (
            "<b>{title}</b> ({year}) tiene solo {count} votos: no cumple la condición de al "
            "menos {threshold} votos, así que no doy su media."
        ),
        "actor_result": (
            "<b>{name}</b> actuó en <b>{films}</b>.\n"
            "Retorno total: <b>{total}</b> · retorno medio: <b>{average}</b>\n"
            "<i>(sobre {known} con presupuesto y recaudación conocidos)</i>"
        ),
        "actor_no_money": (
            "<b>{name}</b> actuó en <b>{films}</b>, pero de ninguna conozco "
            "presupuesto y recaudación: retorno total 0, retorno medio 0."
        ),
        "director_header": (
            "<b>{name}</b> dirigió <b>{films}</b>.\n"
            "Suma de retornos: <b>{total}</b> · retorno medio: <b>{average}</b>\n"
            "Retorno global (recaudación ÷ presupuesto): <b>{overall}</b>"
        ),
        "director_film": (
            "• <b>{title}</b> — {date}\n   retorno {ret} · presupuesto {budget} · "
            "recaudación {revenue}"
        ),
        "director_film_no_money": "• <b>{title}</b> — {date}\n   <i>sin datos de taquilla</i>",
        "page": "Página {page} de {pages}",
        "recommend_header": "Si te gustó <b>{title}</b> ({year}), prueba con:",
        "recommend_line": "{n}. <b>{title}</b> ({year})\n   <i>{why}</i>",
        "recommend_none": "No encontré películas parecidas a <b>{title}</b>.",
        "recommend_many_header": "Si te gustaron {films}, prueba con:",
        "recommend_many_film": "<b>{title}</b> ({year})",
        "recommend_many_none": "No encontré películas parecidas a {films}.",
        "ambiguous": "«{query}» puede ser varias cosas. ¿Cuál?",
        "not_found": "No encontré «{query}».",
        "not_found_suggest": "No encontré «{query}». ¿Quizás…?",
        "expired": "Este botón ya no vale. Vuelve a preguntar.",
        "error": "Algo salió mal por mi lado. Inténtalo de nuevo en un momento.",
        "lang_set": "Vale, te hablaré en español.",
        "lang_not_saved": (
            "Vale, te hablaré en español, aunque ahora no he podido guardarlo: si lo olvido, "
            "vuelve a decírmelo en un rato."
        ),
        "lang_usage": "Usa /lang es o /lang en.",
        "unknown_command": "No conozco esa orden. Mira /help.",
        "card_genres": "Géneros",
        "card_director": "Dirección",
        "card_cast": "Reparto",
        "card_score": "Popularidad",
        "card_votes": "Votos",
        "card_runtime": "Duración",
        "card_money": "Presupuesto / recaudación",
        "card_return": "Retorno",
        "card_collection": "Saga",
        "minutes": "{n} min",
        "films_count_one": "{n} película",
        "films_count_other": "{n} películas",
        "votes_value": "{average}/10 ({count} votos)",
        "button_similar": "🎬 Parecidas",
        "button_votes": "🗳 Votos",
        "button_more": "Más ▶",
        "button_card": "Ficha",
        "button_previous": "◀",
        "button_next": "▶",
        "ratio_zero": "0×",
        "menu_month": "Películas estrenadas en un mes",
        "menu_weekday": "Películas estrenadas en un día de la semana",
        "menu_score": "Año y popularidad de una película",
        "menu_votes": "Votos y media de una película",
        "menu_actor": "Películas y retorno de un actor",
        "menu_director": "Retorno y películas de un director",
        "menu_recommend": "Cinco películas parecidas",
        "menu_lang": "Idioma: es / en",
        "menu_help": "Ayuda y ejemplos",
        "inline_description": "{year} · {genres} · ★ {average}",
        "slow_down_one": "Vas muy rápido 🙂 Espera {n} segundo y sigo contigo.",
        "slow_down_other": "Vas muy rápido 🙂 Espera {n} segundos y sigo contigo.",
        "reason_collection": "misma saga: {values}",
        "reason_director": "mismo director: {values}",
        "reason_cast": "reparto: {values}",
        "reason_keywords": "temas: {values}",
        "reason_genres": "géneros: {values}",
        "reason_companies": "productora: {values}",
        "reason_origin": "origen: {values}",
        "reason_era": "época: {values}",
        "reason_plot": "argumento: {values}",
        "invalid_empty": "Necesito algo que buscar.",
        "invalid_too_long": "Es demasiado largo: prueba con menos de 200 caracteres.",
        "invalid_no_letters": "No veo letras ni números en «{value}».",
        "invalid_unknown_month": (
            "No reconozco «{value}» como mes. Prueba con «enero», «setiembre», «jan» o «1»."
        ),
        "invalid_unknown_weekday": (
            "No reconozco «{value}» como día de la semana. Prueba con «lunes» o «sábado»."
        ),
        "invalid_unknown_movie": "Esa película ya no está en el catálogo.",
        "invalid_unknown_person": "Esa persona ya no está en el catálogo.",
        "invalid_no_features": "No sé lo bastante de esa película para recomendar nada.",
        "invalid_no_movie": "Necesito al menos una película.",
        "invalid_bad_k": "Puedo recomendar entre 1 y 50 películas.",
        "invalid_bad_page": "No hay más recomendaciones.",
        "invalid_unknown_genre": "No conozco el género «{value}».",
        "unknown": "—",
        # -- your films (seen, liked, watch later, for you, import, your data) --
        "button_seen": "✅ Vista",
        "button_like": "👍",
        "button_dislike": "👎",
        "button_later": "🕒 Para luego",
        "recommend_skipped_one": "<i>(dejo fuera {n} que ya has visto)</i>",
        "recommend_skipped_other": "<i>(dejo fuera {n} que ya has visto)</i>",
        "state_seen": "✅ <b>{title}</b> ({year}): vista.",
        "state_rated": "✅ <b>{title}</b> ({year}): vista, {stars} {n}/5.",
        "state_later": "🕒 <b>{title}</b> ({year}): en tu lista para luego.",
        "state_none": "<b>{title}</b> ({year}): fuera de tus listas.",
        "ask_rating": "¿Qué nota le das?",
        "button_open_private": "Abrir chat privado",
        "private_start": (
            "Tus listas son privadas y aún no me has escrito en privado. Ábreme con este botón, "
            "pulsa Iniciar y vuelve a pedírmelo."
        ),
        "private_sent": "📬 Te lo he mandado por privado.",
        "lists_need_user": (
            "Las listas son personales: escríbeme como tú, no como el grupo o el canal."
        ),
        "seen_usage": "Usa /vista <i>título</i>, y si quieres una nota: /vista <i>Heat 4/5</i>.",
        "later_usage": "Usa /pendiente <i>título</i>: la apunto para luego.",
        "bad_rating": "La nota va de 1/5 a 5/5, por ejemplo: /vista <i>Heat 4/5</i>.",
        "list_empty_later": "Tu lista para luego está vacía. Apunta con /pendiente <i>título</i>.",
        "list_empty_seen": "Aún no has marcado ninguna como vista. Usa /vista <i>título</i>.",
        "list_header_later_one": "🕒 <b>Para ver luego</b> ({n} película), la última primero:",
        "list_header_later_other": "🕒 <b>Para ver luego</b> ({n} películas), la última primero:",
        "list_header_seen_one": "✅ <b>Vistas</b> ({n} película):",
        "list_header_seen_other": "✅ <b>Vistas</b> ({n} películas):",
        "list_line": "{n}. <b>{title}</b> ({year}) {mark}",
        "unrated": "sin nota",
        "because_single": "porque te gustó {a}",
        "because_two": "porque te gustaron {a} y {b}",
        "quick_start": (
            "Para afinar necesito al menos {needed} valoraciones (llevas {n}). "
            "Dime qué te parecen estas con 👍 o 👎 y vuelve a pedir /parami:"
        ),
        "for_you_header": "🎯 <b>Para ti</b>, por lo que te ha gustado:",
        "for_you_none": "Ya has visto todo lo que se parece a lo que te gusta. ¡Impresionante!",
        "mydata_caption": (
            "Todo lo que guardo de ti (ajustes y listas): {seen} vistas y {later} para luego. "
            "/olvidame lo borra."
        ),
        "button_forget": "🗑 Sí, bórralo todo",
        "button_cancel": "Cancelar",
        "forget_ask": (
            "¿Borro todo lo que guardo de ti (idioma, vistas, notas y lista para luego)? "
            "No se puede deshacer."
        ),
        "forget_cancelled": "Vale, no he borrado nada.",
        "forget_done": "Hecho: he borrado todo lo que guardaba de ti.",
        "menu_seen": "Marcar una película como vista (con nota n/5)",
        "menu_later": "Apuntar una película para luego",
        "menu_list": "Tu lista para luego",
        "menu_watched": "Lo que has visto, con tu nota",
        "menu_foryou": "Recomendaciones según tus gustos",
        "menu_mydata": "Todo lo que guardo de ti, en un archivo",
        "menu_forgetme": "Borrar todo lo que guardo de ti",
        "import_too_big": (
            "Ese archivo pesa demasiado: acepto exportaciones de Letterboxd de hasta {mb} MB."
        ),
        "import_not_csv": (
            "Eso no parece un CSV de Letterboxd. Mándame <i>ratings.csv</i>, <i>watched.csv</i> "
            "o <i>watchlist.csv</i> de tu exportación de datos."
        ),
        "import_bad_columns": (
            "A ese CSV le faltan columnas: necesito al menos <i>Name</i> y <i>Year</i> "
            "(como en la exportación de Letterboxd)."
        ),
        "import_empty": "Ese CSV no trae ninguna película.",
        "import_too_many": "Son demasiadas filas: importo hasta {n} por archivo.",
        "import_done_seen": (
            "📥 Importadas <b>{matched}</b> de {total} como vistas ({rated} con nota)."
        ),
        "import_done_later": "📥 Importadas <b>{matched}</b> de {total} a tu lista para luego.",
        "import_unmatched": "No encontré estas ({n}):",
        "import_more": "… y {n} más.",
        "import_line": "• {name} ({year})",
        "import_group": "Los archivos de Letterboxd, mejor por privado: tus listas son tuyas.",
        # -- cards --
        "card_overview_source": "Wikipedia, CC BY-SA",
        "button_tmdb": "TMDB",
        "button_imdb": "IMDb",
        "button_letterboxd": "Letterboxd",
        "button_trailer": "▶️ Tráiler",
        "button_watch": "📺 Dónde verla",
        "trailer_query": "{title} {year} tráiler",
        "menu_about": "Fuentes de datos y licencias",
        "about": (
            "<b>De dónde salen los datos</b>\n"
            "• Fichas: <i>The Movies Dataset</i> de Kaggle (datos de TMDB y enlaces de "
            "MovieLens).\n"
            "• Carteles y enlaces: TMDB. <i>This product uses the TMDB API but is not endorsed "
            "or certified by TMDB.</i>\n"
            "• Títulos en español y alternativos: HetRec 2011 y MovieLens 20M de GroupLens, "
            "solo para uso no comercial.\n"
            "• Resúmenes que faltaban: entradillas de Wikipedia (CC BY-SA 4.0), siempre con su "
            "enlace.\n"
            "Las imágenes las descarga Telegram desde su dirección; el bot no las guarda."
        ),
        # -- movie night --
        "menu_night": "Noche de peli en el grupo: proponed y votad",
        "menu_nominate": "Proponer una película para la noche",
        "menu_vote": "Abrir la votación de la noche",
        "menu_close": "Cerrar la votación y anunciar la ganadora",
        "night_groups_only": (
            "La noche de peli es para grupos: añádeme a uno y escribe /noche allí."
        ),
        "night_usage_open": (
            "Uso: /noche, o /noche 2 para que cada uno proponga hasta 2 películas (de 1 a 3)."
        ),
        "night_films_one": "{n} película",
        "night_films_other": "{n} películas",
        "night_opened": (
            "🍿 <b>¡Noche de peli!</b> La abre {name}.\n"
            "Cada uno puede proponer {per_member}: /propongo &lt;título&gt;, o responded a este "
            "mensaje con el título.\n"
            "Cuando estéis, /votar (o el botón) añade mis propuestas de consenso y abre la "
            "votación; /cerrar la termina."
        ),
        "night_already_open": (
            "Ya hay una noche de peli abierta aquí: proponed con /propongo &lt;título&gt; "
            "y votad con /votar (o ciérrala con /cerrar)."
        ),
        "night_none": "No hay ninguna noche de peli abierta aquí. Ábrela con /noche.",
        "night_close_not_yours": (
            "Solo quien abrió la noche o un administrador del grupo puede cerrarla antes de "
            "tiempo. La votación se cierra sola cuando acaba."
        ),
        "night_nominate_usage": (
            "¿Qué película? /propongo &lt;título&gt;, o responde al mensaje de la noche con el "
            "título."
        ),
        "night_nominated": "✅ {name} propone <b>{title}</b> ({year}).",
        "night_board_header": "🎬 Propuestas ({n}):",
        "night_board_line": "{n}. {title} ({year}) · {name}",
        "night_duplicate": "«{title}» ya está propuesta (por {name}).",
        "night_limit_one": "Ya has propuesto {n} película, el máximo de esta noche.",
        "night_limit_other": "Ya has propuesto {n} películas, el máximo de esta noche.",
        "night_full": "La lista está llena ({n} propuestas): ¡a votar con /votar!",
        "night_voting_started": "La votación ya ha empezado: ya no se puede proponer.",
        "night_poll_open": "La votación ya está abierta: votad en la encuesta.",
        "night_need_nominees": (
            "Aún no hay propuestas: /propongo &lt;título&gt; primero, y luego /votar."
        ),
        "night_too_few_one": (
            "Para votar hacen falta al menos dos opciones y solo hay {n}: proponed otra película."
        ),
        "night_too_few_other": (
            "Para votar hacen falta al menos dos opciones y hay {n}: proponed otra película."
        ),
        "night_usage_vote": "Uso: /votar, o /votar 5 para votar durante 5 minutos (de 1 a 60).",
        "night_picks_header": (
            "🤝 <b>Mis propuestas de consenso</b> (ninguna está en vuestras vistas):"
        ),
        "night_pick_line": "• <b>{title}</b> ({year}), entre {near}: {why}",
        "list_and": " y ",
        "list_and_before_i": " e ",  # "Heat e Interstellar", "agua y hielo"
        "night_no_picks": (
            "🤝 No encuentro una película de consenso que nadie haya visto: votad entre las "
            "vuestras."
        ),
        "night_poll_question": "🍿 ¿Qué vemos? (votación de {minutes} min)",
        "night_winner": "🏆 Ganadora: <b>{title}</b> ({year})",
        "night_votes_one": "{n} voto",
        "night_votes_other": "{n} votos",
        "night_tie": "Empate entre {titles}: la he elegido al azar 🎲.",
        "night_no_votes": "Votación cerrada sin votos: esta vez no hay ganadora.",
        "night_cancelled": "Noche de peli cerrada sin votación.",
        "button_night_vote": "🗳 Votar",
        "button_night_propose": "🍿 Proponer para la noche de peli",
        # -- live tmdb --
        "live_badge": "🌐 <i>Datos en vivo de TMDB: esta película no está en el catálogo.</i>",
        "live_now": "🌐 <i>Popularidad y votos de hoy, según TMDB.</i>",
        "live_recommend_note": "🌐 <i>Comparada con el catálogo a partir de sus datos en TMDB.</i>",
        "live_local_title": "🇪🇸 <b>{title}</b> <i>(título en español, TMDB)</i>",
        "live_overview": "<i>{overview}</i>",
        # -- discover --
        "menu_discover": "Descubrir películas: «comedia corta de los 90»",
        "menu_random": "Una película al azar (🎲 otra)",
        "menu_saga": "Una saga en orden, y cuál ver después",
        "discover_usage": (
            "Dime qué te apetece y te busco las mejores. Por ejemplo:\n"
            "<code>/descubrir comedia corta de los 90</code>\n"
            "<code>/descubrir terror japonés buena</code>\n"
            "<code>/descubrir ciencia ficción de 1995 a 2000 con más de 500 votos</code>\n"
            "Entiendo géneros, décadas o años, «corta» / «larga», votos, idioma original "
            "(«francesa») y «buena»."
        ),
        "discover_understood": "🔎 {filters}",
        "discover_everything": "Todas las películas",
        "discover_ignored": "<i>No he entendido: {words}</i>",
        "discover_header": "{films} · página {page} de {pages}",
        "discover_line": "{n}. <b>{title}</b> ({year}) · ⭐ {average} ({votes})",
        "discover_none": (
            "🔎 {filters}\nNinguna película cumple todo eso. Prueba con menos filtros."
        ),
        "discover_not_understood": (
            "No he entendido «{value}» como una búsqueda. Prueba, por ejemplo, "
            "<code>/descubrir comedia de los 90</code> o <code>/descubrir thriller coreano</code>."
        ),
        "discover_too_long": "Eso es muy largo para una búsqueda: dímelo en pocas palabras.",
        "discover_empty": "Dime qué buscar.",
        "discover_unknown_movie": "No conozco esa película.",
        "discover_no_collection": "<b>{value}</b> no forma parte de ninguna saga.",
        "discover_bad_page": "Esa página ya no existe. Vuelve a preguntar.",
        "discover_no_language_data": (
            "Este catálogo no sabe el idioma original de las películas: busca sin idioma."
        ),
        "discover_store_down": "Ahora mismo no puedo recordar sorteos: inténtalo en un momento.",
        "votes_short_one": "{n} voto",
        "votes_short_other": "{n} votos",
        "filter_years": "{start}–{end}",
        "filter_year": "{year}",
        "filter_since": "desde {year}",
        "filter_until": "hasta {year}",
        "filter_shorter": "< {minutes} min",
        "filter_longer": "> {minutes} min",
        "filter_votes": "≥ {votes} votos",
        "filter_good": "bien valoradas",
        "filter_unseen": "sin ver",
        "filter_language": "en {language}",
        "random_result": "🎲 <b>{title}</b> ({year}) · ⭐ {average} ({votes})",
        "random_left_one": "<i>Queda {n} más así.</i>",
        "random_left_other": "<i>Quedan {n} más así.</i>",
        "random_none": "🔎 {filters}\nNo encuentro ninguna película así.",
        "random_exhausted": (
            "🎲 Ya te he enseñado todas las que encajan ({n}). Pulsa 🎲 para volver a empezar."
        ),
        "button_draw": "🎲 Otra",
        "button_open": "🎬 Ficha",
        "saga_usage": "Dime una película de la saga: <code>/saga toy story</code>",
        "saga_header": "📚 <b>{name}</b> · {films}",
        "saga_line": "{n}. {mark}<b>{title}</b> ({year})",
        "saga_next": "▶️ La siguiente para ver: <b>{title}</b> ({year})",
        "saga_all_seen": "✅ Las has visto todas.",
        "saga_start": "▶️ Para empezar: <b>{title}</b> ({year})",
        "chart_rating": "Valoración media",
        "chart_return": "Rendimiento (×)",
        "chart_budget_note": "tamaño del punto: presupuesto",
        "chart_months": "Estrenos por mes",
        "chart_weekdays": "Estrenos por día de la semana",
        "language_en": "inglés",
        "language_fr": "francés",
        "language_es": "español",
        "language_de": "alemán",
        "language_it": "italiano",
        "language_ja": "japonés",
        "language_ko": "coreano",
        "language_zh": "chino",
        "language_cn": "cantonés",
        "language_ru": "ruso",
        "language_hi": "hindi",
        "language_pt": "portugués",
        "language_sv": "sueco",
        "language_fi": "finés",
        "language_nl": "neerlandés",
        "language_da": "danés",
        "language_no": "noruego",
        "language_pl": "polaco",
        "language_tr": "turco",
        "language_el": "griego",
        "language_he": "hebreo",
        "language_fa": "persa",
        "language_ar": "árabe",
        "language_cs": "checo",
        "language_hu": "húngaro",
        "language_ro": "rumano",
        "language_th": "tailandés",
        "language_ta": "tamil",
        "language_te": "telugu",
    },
    "en": {
        "start": (
            "Hi, {name}! I'm <b>movierec</b>: I answer questions about films and recommend "
            "what to watch.\nSend me a title, or see /help for everything I can do."
        ),
        "start_group": (
            "Hi! I'm <b>movierec</b>: I answer questions about films and recommend what to "
            "watch.\nIn groups I answer commands, such as /score <i>Toy Story</i>. See /help."
        ),
        "help": (
            "<b>What I can do</b>\n"
            "/month <i>January</i> — films released that month\n"
            "/day <i>Friday</i> — released on that weekday\n"
            "/score <i>Toy Story</i> — year and popularity\n"
            "/votes <i>Titanic 1997</i> — votes and average (from 2000 votes)\n"
            "/actor <i>Penélope Cruz</i> — films and return\n"
            "/director <i>Almodóvar</i> — return and every film\n"
            "/recommend <i>Heat 1995</i> — five similar films "
            "(or like several: <i>Heat, Alien</i>)\n"
            "/discover <i>short comedy from the 90s</i> · /random · /collection <i>Toy Story</i>\n"
            "/seen <i>Heat 4/5</i> · /later <i>Alien</i> · /list · /watched — your films\n"
            "/foryou — recommendations from what you liked\n"
            "/mydata · /forgetme — what I keep about you, and deleting it\n"
            "/lang <i>es</i> — hablar en español\n"
            "In private, send a title for its card. In any chat: <code>@{bot} title</code>."
        ),
        "ask_month": "Which month? (for example: January)",
        "ask_weekday": "Which weekday? (for example: Friday)",
        "ask_title": "Which film?",
        "ask_actor": "Which actor?",
        "ask_director": "Which director?",
        "month_result": "<b>{count}</b> films premiered in <b>{month}</b>.",
        "weekday_result": "<b>{count}</b> films premiered on a <b>{weekday}</b>.",
        "score_result": (
            "<b>{title}</b> ({year})\nPopularity: <b>{popularity}</b>\nAverage rating: {average}/10"
        ),
        "votes_ok": (
            "<b>{title}</b> ({year}) has <b>{count}</b> votes, averaging <b>{average}</b>/10."
        ),
        "votes_too_few": (
            "<b>{title}</b> ({year}) has only {count} votes: it does not meet the condition of "
            "at least {threshold} votes, so I don't give its average."
        ),
        "actor_result": (
            "<b>{name}</b> acted in <b>{films}</b>.\n"
            "Total return: <b>{total}</b> · average return: <b>{average}</b>\n"
            "<i>(over {known} with known budget and revenue)</i>"
        ),
        "actor_no_money": (
            "<b>{name}</b> acted in <b>{films}</b>, none with a known budget and "
            "revenue: total return 0, average return 0."
        ),
        "director_header": (
            "<b>{name}</b> directed <b>{films}</b>.\n"
            "Sum of returns: <b>{total}</b> · average return: <b>{average}</b>\n"
            "Overall return (revenue ÷ budget): <b>{overall}</b>"
        ),
        "director_film": (
            "• <b>{title}</b> — {date}\n   return {ret} · budget {budget} · revenue {revenue}"
        ),
        "director_film_no_money": "• <b>{title}</b> — {date}\n   <i>no box-office data</i>",
        "page": "Page {page} of {pages}",
        "recommend_header": "If you liked <b>{title}</b> ({year}), try:",
        "recommend_line": "{n}. <b>{title}</b> ({year})\n   <i>{why}</i>",
        "recommend_none": "I found no films like <b>{title}</b>.",
        "recommend_many_header": "If you liked {films}, try:",
        "recommend_many_film": "<b>{title}</b> ({year})",
        "recommend_many_none": "I found no films like {films}.",
        "ambiguous": "“{query}” could be several things. Which one?",
        "not_found": "I couldn't find “{query}”.",
        "not_found_suggest": "I couldn't find “{query}”. Did you mean…?",
        "expired": "This button has expired. Please ask again.",
        "error": "Something went wrong on my side. Please try again in a moment.",
        "lang_set": "OK, I'll speak English.",
        "lang_not_saved": (
            "OK, I'll speak English, though I couldn't save it just now: if I forget, tell me "
            "again in a while."
        ),
        "lang_usage": "Use /lang en or /lang es.",
        "unknown_command": "I don't know that command. See /help.",
        "card_genres": "Genres",
        "card_director": "Director",
        "card_cast": "Cast",
        "card_score": "Popularity",
        "card_votes": "Votes",
        "card_runtime": "Runtime",
        "card_money": "Budget / revenue",
        "card_return": "Return",
        "card_collection": "Collection",
        "minutes": "{n} min",
        "films_count_one": "{n} film",
        "films_count_other": "{n} films",
        "votes_value": "{average}/10 ({count} votes)",
        "button_similar": "🎬 Similar",
        "button_votes": "🗳 Votes",
        "button_more": "More ▶",
        "button_card": "Card",
        "button_previous": "◀",
        "button_next": "▶",
        "ratio_zero": "0×",
        "menu_month": "Films released in a month",
        "menu_weekday": "Films released on a weekday",
        "menu_score": "A film's year and popularity",
        "menu_votes": "A film's votes and average",
        "menu_actor": "An actor's films and return",
        "menu_director": "A director's return and films",
        "menu_recommend": "Five similar films",
        "menu_lang": "Language: en / es",
        "menu_help": "Help and examples",
        "inline_description": "{year} · {genres} · ★ {average}",
        "slow_down_one": "You're going fast 🙂 Give me {n} second and I'll be back.",
        "slow_down_other": "You're going fast 🙂 Give me {n} seconds and I'll be back.",
        "reason_collection": "same saga: {values}",
        "reason_director": "same director: {values}",
        "reason_cast": "cast: {values}",
        "reason_keywords": "themes: {values}",
        "reason_genres": "genres: {values}",
        "reason_companies": "studio: {values}",
        "reason_origin": "origin: {values}",
        "reason_era": "era: {values}",
        "reason_plot": "plot: {values}",
        "invalid_empty": "I need something to look for.",
        "invalid_too_long": "That's too long: try fewer than 200 characters.",
        "invalid_no_letters": "I see no letters or numbers in “{value}”.",
        "invalid_unknown_month": (
            "I don't know “{value}” as a month. Try “January”, “enero”, “jan” or “1”."
        ),
        "invalid_unknown_weekday": (
            "I don't know “{value}” as a weekday. Try “Monday” or “sábado”."
        ),
        "invalid_unknown_movie": "That film is no longer in the catalog.",
        "invalid_unknown_person": "That person is no longer in the catalog.",
        "invalid_no_features": "I don't know enough about that film to recommend anything.",
        "invalid_no_movie": "I need at least one film.",
        "invalid_bad_k": "I can recommend between 1 and 50 films.",
        "invalid_bad_page": "There are no more recommendations.",
        "invalid_unknown_genre": "I don't know the genre “{value}”.",
        "unknown": "—",
        # -- your films (seen, liked, watch later, for you, import, your data) --
        "button_seen": "✅ Seen",
        "button_like": "👍",
        "button_dislike": "👎",
        "button_later": "🕒 Later",
        "recommend_skipped_one": "<i>(leaving out {n} you have seen)</i>",
        "recommend_skipped_other": "<i>(leaving out {n} you have seen)</i>",
        "state_seen": "✅ <b>{title}</b> ({year}): seen.",
        "state_rated": "✅ <b>{title}</b> ({year}): seen, {stars} {n}/5.",
        "state_later": "🕒 <b>{title}</b> ({year}): on your watch-later list.",
        "state_none": "<b>{title}</b> ({year}): off your lists.",
        "ask_rating": "How would you rate it?",
        "button_open_private": "Open a private chat",
        "private_start": (
            "Your lists are private and you have not written to me in private yet. Open me with "
            "this button, press Start and ask again."
        ),
        "private_sent": "📬 I sent it to you in private.",
        "lists_need_user": "Lists are personal: write as yourself, not as the group or channel.",
        "seen_usage": "Use /seen <i>title</i>, with a rating if you like: /seen <i>Heat 4/5</i>.",
        "later_usage": "Use /later <i>title</i>: I will put it on your watch-later list.",
        "bad_rating": "Ratings go from 1/5 to 5/5, for example: /seen <i>Heat 4/5</i>.",
        "list_empty_later": "Your watch-later list is empty. Add with /later <i>title</i>.",
        "list_empty_seen": "You have not marked anything as seen yet. Use /seen <i>title</i>.",
        "list_header_later_one": "🕒 <b>Watch later</b> ({n} film), newest first:",
        "list_header_later_other": "🕒 <b>Watch later</b> ({n} films), newest first:",
        "list_header_seen_one": "✅ <b>Seen</b> ({n} film):",
        "list_header_seen_other": "✅ <b>Seen</b> ({n} films):",
        "list_line": "{n}. <b>{title}</b> ({year}) {mark}",
        "unrated": "unrated",
        "because_single": "because you liked {a}",
        "because_two": "because you liked {a} and {b}",
        "quick_start": (
            "To tune this I need at least {needed} ratings (you have {n}). "
            "Tell me what you think of these with 👍 or 👎, then ask /foryou again:"
        ),
        "for_you_header": "🎯 <b>For you</b>, from what you liked:",
        "for_you_none": "You have seen everything like what you like. Impressive!",
        "mydata_caption": (
            "Everything I keep about you (settings and lists): {seen} seen, {later} to watch "
            "later. /forgetme deletes it."
        ),
        "button_forget": "🗑 Yes, delete it all",
        "button_cancel": "Cancel",
        "forget_ask": (
            "Delete everything I keep about you (language, seen films, ratings, watch later)? "
            "It cannot be undone."
        ),
        "forget_cancelled": "Fine, nothing was deleted.",
        "forget_done": "Done: everything I kept about you is deleted.",
        "menu_seen": "Mark a film as seen (rated n/5)",
        "menu_later": "Put a film on your watch-later list",
        "menu_list": "Your watch-later list",
        "menu_watched": "What you have seen, with your ratings",
        "menu_foryou": "Recommendations from your taste",
        "menu_mydata": "Everything I keep about you, as a file",
        "menu_forgetme": "Delete everything I keep about you",
        "import_too_big": "That file is too big: I take Letterboxd exports up to {mb} MB.",
        "import_not_csv": (
            "That does not look like a Letterboxd CSV. Send me <i>ratings.csv</i>, "
            "<i>watched.csv</i> or <i>watchlist.csv</i> from your data export."
        ),
        "import_bad_columns": (
            "That CSV lacks columns: I need at least <i>Name</i> and <i>Year</i> "
            "(as in Letterboxd's export)."
        ),
        "import_empty": "That CSV has no films in it.",
        "import_too_many": "Too many rows: I import up to {n} per file.",
        "import_done_seen": "📥 Imported <b>{matched}</b> of {total} as seen ({rated} rated).",
        "import_done_later": "📥 Imported <b>{matched}</b> of {total} to your watch-later list.",
        "import_unmatched": "I could not find these ({n}):",
        "import_more": "… and {n} more.",
        "import_line": "• {name} ({year})",
        "import_group": "Letterboxd files are better sent in private: your lists are yours.",
        # -- cards --
        "card_overview_source": "Wikipedia, CC BY-SA",
        "button_tmdb": "TMDB",
        "button_imdb": "IMDb",
        "button_letterboxd": "Letterboxd",
        "button_trailer": "▶️ Trailer",
        "button_watch": "📺 Where to watch",
        "trailer_query": "{title} {year} trailer",
        "menu_about": "Data sources and licences",
        "about": (
            "<b>Where the data comes from</b>\n"
            "• Cards: Kaggle's <i>The Movies Dataset</i> (TMDB data, MovieLens links).\n"
            "• Posters and links: TMDB. <i>This product uses the TMDB API but is not endorsed "
            "or certified by TMDB.</i>\n"
            "• Spanish and alternative titles: GroupLens' HetRec 2011 and MovieLens 20M, "
            "non-commercial use only.\n"
            "• Missing plot summaries: Wikipedia lead paragraphs (CC BY-SA 4.0), always shown "
            "with their link.\n"
            "Telegram fetches the pictures from their address; the bot keeps none."
        ),
        # -- movie night --
        "menu_night": "Movie night in the group: nominate and vote",
        "menu_nominate": "Nominate a film for movie night",
        "menu_vote": "Open the movie night vote",
        "menu_close": "Close the vote and announce the winner",
        "night_groups_only": (
            "Movie night is for groups: add me to one and send /movienight there."
        ),
        "night_usage_open": (
            "Usage: /movienight, or /movienight 2 so everyone can nominate up to 2 films (1 to 3)."
        ),
        "night_films_one": "{n} film",
        "night_films_other": "{n} films",
        "night_opened": (
            "🍿 <b>Movie night!</b> Opened by {name}.\n"
            "Everyone can nominate {per_member}: /nominate &lt;title&gt;, or reply to this "
            "message with the title.\n"
            "When you're ready, /vote (or the button) adds my compromise picks and opens the "
            "vote; /close ends it."
        ),
        "night_already_open": (
            "A movie night is already open here: nominate with /nominate &lt;title&gt; and vote "
            "with /vote (or close it with /close)."
        ),
        "night_none": "There's no movie night open here. Open one with /movienight.",
        "night_close_not_yours": (
            "Only whoever opened the night or a group admin can close it early. The vote "
            "closes by itself when its time is up."
        ),
        "night_nominate_usage": (
            "Which film? /nominate &lt;title&gt;, or reply to the movie night message with the "
            "title."
        ),
        "night_nominated": "✅ {name} nominates <b>{title}</b> ({year}).",
        "night_board_header": "🎬 Nominations ({n}):",
        "night_board_line": "{n}. {title} ({year}) · {name}",
        "night_duplicate": "“{title}” is already nominated (by {name}).",
        "night_limit_one": "You've already nominated {n} film, tonight's limit.",
        "night_limit_other": "You've already nominated {n} films, tonight's limit.",
        "night_full": "The list is full ({n} nominations): time to /vote!",
        "night_voting_started": "The vote has started: nominations are closed.",
        "night_poll_open": "The vote is already open: answer the poll.",
        "night_need_nominees": "No nominations yet: /nominate &lt;title&gt; first, then /vote.",
        "night_too_few_one": (
            "A vote needs at least two options and there is only {n}: nominate another film."
        ),
        "night_too_few_other": (
            "A vote needs at least two options and there are {n}: nominate another film."
        ),
        "night_usage_vote": "Usage: /vote, or /vote 5 to vote for 5 minutes (1 to 60).",
        "night_picks_header": "🤝 <b>My compromise picks</b> (none is on your seen lists):",
        "night_pick_line": "• <b>{title}</b> ({year}), between {near}: {why}",
        "list_and": " and ",
        "list_and_before_i": " and ",
        "night_no_picks": (
            "🤝 I can't find a compromise film nobody has seen: vote among your own."
        ),
        "night_poll_question": "🍿 What do we watch? ({minutes} min vote)",
        "night_winner": "🏆 Winner: <b>{title}</b> ({year})",
        "night_votes_one": "{n} vote",
        "night_votes_other": "{n} votes",
        "night_tie": "A tie between {titles}: I picked at random 🎲.",
        "night_no_votes": "Vote closed without votes: no winner this time.",
        "night_cancelled": "Movie night closed without a vote.",
        "button_night_vote": "🗳 Vote",
        "button_night_propose": "🍿 Propose for movie night",
        # -- live tmdb --
        "live_badge": "🌐 <i>Live data from TMDB: this film is not in the catalog.</i>",
        "live_now": "🌐 <i>Today's popularity and votes, from TMDB.</i>",
        "live_recommend_note": "🌐 <i>Compared with the catalog from its TMDB data.</i>",
        "live_local_title": "🇪🇸 <b>{title}</b> <i>(Spanish title, TMDB)</i>",
        "live_overview": "<i>{overview}</i>",
        # -- discover --
        "menu_discover": "Discover films: “short comedy from the 90s”",
        "menu_random": "A random film (🎲 another)",
        "menu_saga": "A saga in order, and what to watch next",
        "discover_usage": (
            "Tell me what you feel like and I'll find the best. For example:\n"
            "<code>/discover short comedy from the 90s</code>\n"
            "<code>/discover good japanese horror</code>\n"
            "<code>/discover sci-fi 1995-2000 at least 500 votes</code>\n"
            "I understand genres, decades or years, “short” / “long”, votes, original language "
            "(“french”) and “good”."
        ),
        "discover_understood": "🔎 {filters}",
        "discover_everything": "Every film",
        "discover_ignored": "<i>I didn't understand: {words}</i>",
        "discover_header": "{films} · page {page} of {pages}",
        "discover_line": "{n}. <b>{title}</b> ({year}) · ⭐ {average} ({votes})",
        "discover_none": "🔎 {filters}\nNo film matches all of that. Try fewer filters.",
        "discover_not_understood": (
            "I didn't understand “{value}” as a search. Try, for example, "
            "<code>/discover comedy from the 90s</code> or <code>/discover korean thriller</code>."
        ),
        "discover_too_long": "That is too long for a search: tell me in a few words.",
        "discover_empty": "Tell me what to look for.",
        "discover_unknown_movie": "I don't know that film.",
        "discover_no_collection": "<b>{value}</b> is not part of a saga.",
        "discover_bad_page": "That page is gone. Please ask again.",
        "discover_no_language_data": (
            "This catalog doesn't know the films' original languages: search without one."
        ),
        "discover_store_down": "I can't remember draws right now: please try again in a moment.",
        "votes_short_one": "{n} vote",
        "votes_short_other": "{n} votes",
        "filter_years": "{start}–{end}",
        "filter_year": "{year}",
        "filter_since": "from {year}",
        "filter_until": "until {year}",
        "filter_shorter": "< {minutes} min",
        "filter_longer": "> {minutes} min",
        "filter_votes": "≥ {votes} votes",
        "filter_good": "well rated",
        "filter_unseen": "not seen",
        "filter_language": "in {language}",
        "random_result": "🎲 <b>{title}</b> ({year}) · ⭐ {average} ({votes})",
        "random_left_one": "<i>{n} more like this left.</i>",
        "random_left_other": "<i>{n} more like this left.</i>",
        "random_none": "🔎 {filters}\nI can't find any film like that.",
        "random_exhausted": (
            "🎲 I've shown you every film that matches ({n}). Press 🎲 to start again."
        ),
        "button_draw": "🎲 Another",
        "button_open": "🎬 Card",
        "saga_usage": "Tell me a film of the saga: <code>/collection toy story</code>",
        "saga_header": "📚 <b>{name}</b> · {films}",
        "saga_line": "{n}. {mark}<b>{title}</b> ({year})",
        "saga_next": "▶️ Next to watch: <b>{title}</b> ({year})",
        "saga_all_seen": "✅ You've seen them all.",
        "saga_start": "▶️ Start with: <b>{title}</b> ({year})",
        "chart_rating": "Average rating",
        "chart_return": "Return (×)",
        "chart_budget_note": "dot size: budget",
        "chart_months": "Releases per month",
        "chart_weekdays": "Releases per weekday",
        "language_en": "English",
        "language_fr": "French",
        "language_es": "Spanish",
        "language_de": "German",
        "language_it": "Italian",
        "language_ja": "Japanese",
        "language_ko": "Korean",
        "language_zh": "Chinese",
        "language_cn": "Cantonese",
        "language_ru": "Russian",
        "language_hi": "Hindi",
        "language_pt": "Portuguese",
        "language_sv": "Swedish",
        "language_fi": "Finnish",
        "language_nl": "Dutch",
        "language_da": "Danish",
        "language_no": "Norwegian",
        "language_pl": "Polish",
        "language_tr": "Turkish",
        "language_el": "Greek",
        "language_he": "Hebrew",
        "language_fa": "Persian",
        "language_ar": "Arabic",
        "language_cs": "Czech",
        "language_hu": "Hungarian",
        "language_ro": "Romanian",
        "language_th": "Thai",
        "language_ta": "Tamil",
        "language_te": "Telugu",
    },
}


def language_for(code: str | None) -> str:
    """Spanish for Telegram language codes starting with "es", English otherwise."""
    return "es" if (code or "").lower().startswith("es") else DEFAULT_LANGUAGE


def known_language(value: str | None) -> str | None:
    """A stored language this version speaks, or None (a newer version's or a hand edit's)."""
    return value if value in LANGUAGES else None


def listing(lang: str, parts: Sequence[str], last: str = "") -> Html:
    """Parts (HTML already) as one phrase: "A, B y C". ``last`` is the last part as plain
    text: Spanish says "e" for "y" before an i sound ("Heat e Interstellar", "y hielo")."""
    if len(parts) < 2:
        return Html("".join(parts))
    decomposed = unicodedata.normalize("NFD", last.strip().lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    before_i = bare.startswith("i") or (bare.startswith("hi") and bare[2:3] not in tuple("aeiou"))
    joiner = raw(lang, "list_and_before_i" if before_i else "list_and")
    return Html(", ".join(parts[:-1]) + joiner + parts[-1])


def genre(lang: str, name: str) -> str:
    return GENRES_ES.get(name, name) if lang == "es" else name


def genres(lang: str, names: Iterable[str]) -> str:
    return ", ".join(genre(lang, name) for name in names)


def _table(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS[DEFAULT_LANGUAGE])


class Html(str):
    """Text that is already HTML (a rendered fragment): :func:`say` puts it in as it is."""


def say(lang: str, key: str, **values: object) -> str:
    """The text ``key`` in ``lang`` with every value HTML-escaped (except :class:`Html`)."""
    return Html(_table(lang)[key].format(**{name: _safe(v) for name, v in values.items()}))


def _safe(value: object) -> str:
    return value if isinstance(value, Html) else escape(str(value))


def count(lang: str, key: str, n: int, **values: object) -> str:
    """``key_one`` or ``key_other`` by ``n`` (both languages: one for 1, other otherwise)."""
    form = "one" if n == 1 else "other"
    return say(lang, f"{key}_{form}", n=number(lang, n), **values)


def escape(value: str) -> str:
    """&, < and > only: values never go inside attributes, and Telegram's HTML knows no &#x27;.

    Lone surrogates (possible in a decoded update, impossible to send as UTF-8) become U+FFFD.
    """
    if not value.isascii():
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return html.escape(value, quote=False)


def raw(lang: str, key: str) -> str:
    """A text without values (button labels, prompts): already safe."""
    return _table(lang)[key]


def number(lang: str, value: float, decimals: int = 0) -> str:
    """1,234.5 in English, 1.234,5 in Spanish."""
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "es" else text


def money(lang: str, value: float) -> str:
    """$450,000 in English, 450.000 US$ in Spanish; unknown for 0."""
    if value <= 0:
        return raw(lang, "unknown")
    amount = number(lang, value)
    return f"{amount} US$" if lang == "es" else f"${amount}"


def ratio(lang: str, value: float) -> str:
    """A return (revenue / budget) as a multiple: 12.45×."""
    return f"{number(lang, value, 2)}×" if value > 0 else raw(lang, "unknown")


def date(lang: str, value: dt.date) -> str:
    """3 abr 1969 in Spanish, 3 Apr 1969 in English."""
    month = MONTHS.get(lang, MONTHS[DEFAULT_LANGUAGE])[value.month - 1][:3]
    return f"{value.day} {month} {value.year}"
