"""The demo's e-mail backend: messages printed to the console, with personal data masked (the
console ends up in log files, which must never hold ID or phone numbers)."""

from django.core.mail.backends.console import EmailBackend

from .logmask import mask


class MaskedConsoleBackend(EmailBackend):
    def write_message(self, message):
        text = mask(message.message().as_string())
        self.stream.write(f"{text}\n{'-' * 79}\n")
