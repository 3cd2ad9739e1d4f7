"""Compression of the pages for the phones' slow links."""

from django.middleware.gzip import GZipMiddleware


class PageGZipMiddleware(GZipMiddleware):
    """
    Django's GZipMiddleware (with its random padding against BREACH) for the pages
    and the phone's bundle; the API under /api/ answers uncompressed as before, so
    its clients and its in-process schema fuzzing (WSGI, which undoes no gzip) read
    it as they always have.
    """

    def process_response(self, request, response):
        if request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)
