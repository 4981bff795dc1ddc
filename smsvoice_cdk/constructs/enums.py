"""The API's enums, as str enums so a value can be written either way."""

from enum import Enum


class MessageType(str, Enum):
    TRANSACTIONAL = "TRANSACTIONAL"
    PROMOTIONAL = "PROMOTIONAL"
