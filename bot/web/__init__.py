"""The office console: a web application over the bot's own store and rules.

``bot.web.app.create_app`` builds it; ``bot.web.server.Console`` serves it inside the
bot's event loop (or a thread, or alone: ``nhacviec web``).
"""
