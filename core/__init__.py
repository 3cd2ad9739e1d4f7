"""The foundation: roles and scoping, ISO weeks, strict input, rate limits and the
middleware every app shares. It imports no app's models; the apps import it."""
