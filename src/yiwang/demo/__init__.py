"""The optional demo district (docs/adr/0061-demo-package.md): data files under ``data/`` loaded through the
platform's own importers and services by one loader per context under ``loaders/``."""
