from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from core.text import is_ascii_digits


class Pagination(PageNumberPagination):
    """
    ``?page=2&page_size=100``: 50 rows a page unless asked, at most 200. A page or
    page_size that is not a whole number in range is a 400 (DRF would quietly use
    the default); a page past the last is a 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()

    def get_page_number(self, request, paginator) -> int:
        given = request.query_params.get(self.page_query_param)
        if given is None:
            return 1
        if not is_ascii_digits(given) or int(given) < 1:
            raise ValidationError(
                {self.page_query_param: [_("Write a whole number from 1 and up.")]}
            )
        return int(given)

    def get_page_size(self, request) -> int:
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        if not is_ascii_digits(given) or not 1 <= int(given) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Write a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(given)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 200}
        return parameters
