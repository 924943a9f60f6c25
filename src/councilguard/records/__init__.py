"""Council e-mail as official records: the archive, search, retention, legal hold and information requests.

Built on the checker's public API (``councilguard.engine.Checker``, ``councilguard.model``) and on
SQLAlchemy storage; the engine and the layers below it never import this package.
"""
