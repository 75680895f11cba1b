"""Shinsa (審査): Trust & Safety operations for video-streaming catalogs."""
