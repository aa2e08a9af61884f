"""Types of the compiled engine (engine/src, Rust): see textclean.engine."""

__version__: str

class TrigramModel:
    def __init__(self, words: list[str], u_logp: bytes, u_back: bytes, b_key: bytes,
                 b_logp: bytes, b_back: bytes, t_key: bytes, t_logp: bytes, *, unk: int,
                 longest: int, beam: int, unknown_penalty: int) -> None: ...
    def read(self, text: str) -> tuple[list[int], int]: ...
