"""encryption.toml: whether a journal home is encrypted, or part-way through a conversion.

Apart from journal/crypt.py so that commands which never meet an encrypted
journal (`reflect prompt`) do not build the model.
"""

from pydantic import BaseModel, ConfigDict

from reflect.journal.crypt import CRYPT_FORMAT, State


class CryptState(BaseModel):
    """encryption.toml: whether the home is (being) encrypted, and which identity opens its key."""

    model_config = ConfigDict(extra="forbid")

    format: int = CRYPT_FORMAT
    state: State
    recipient: str
    identity: str | None = None
    previous_identity: str | None = None

    @property
    def sealed(self) -> bool:
        """Whether new files are written encrypted (the conversion's target form)."""
        return self.state != "decrypting"
