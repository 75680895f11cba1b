"""Hashes of media for exact and near-duplicate matching: MD5/SHA-256, PDQ (images), vPDQ-style (video).

Pure: no Django. Reads files through ``shinsa.media``.
"""
