"""The Telegram edge (python-telegram-bot 22).

Importing it changes nothing. PTB_TIMEDELTA is not set: in PTB 22 it only makes
time-period attributes such as ``RetryAfter.retry_after`` ``timedelta`` instead of
``int`` seconds (the v23 type, opted into early) and silences the deprecation
warning PTB emits otherwise; ``TelegramChannel`` accepts either type.
"""
