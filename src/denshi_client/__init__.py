"""Denshi Client: guided document exchange with a corporate pension fund over SoftEther VPN."""

__version__ = "0.1.0"
APP_NAME = "DenshiClient"
APP_DISPLAY_NAME_JA = "電子連携クライアント"
APP_DISPLAY_NAME_EN = "Denshi Client"
