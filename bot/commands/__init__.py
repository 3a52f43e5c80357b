"""Chat commands shared by the Telegram and Zalo front ends."""
