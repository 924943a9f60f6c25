"""Emoji that people use in place of a word, and the word they stand for.

"Cllr H is a 🤡" says "clown" as plainly as the word does, and a row of 🐒 or 🍌 aimed at a person
is a racist taunt. The normaliser replaces these emoji with their word so that word lists see
them; evidence still points at the emoji itself.

Kept deliberately small: only emoji whose use as an insult, slur or threat is common and whose
word reading is unambiguous. Emoji that are mostly friendly or mostly mean laughter (💀, 🙈, 🔥)
are left out on purpose. An empty word means the emoji carries tone but no word (🙄), so it is
removed. Keys are single code points; a variation selector or skin-tone modifier that follows one
is absorbed into its span by the normaliser.
"""

from __future__ import annotations

from types import MappingProxyType

EMOJI_WORDS = MappingProxyType(
    {
        "\U0001f921": "clown",  # 🤡
        "\U0001f40d": "snake",  # 🐍
        "\U0001f400": "rat",  # 🐀
        "\U0001f437": "pig",  # 🐷
        "\U0001f416": "pig",  # 🐖
        "\U0001f43d": "pig",  # 🐽 pig nose
        "\U0001f404": "cow",  # 🐄 ("silly cow")
        "\U0001f411": "sheep",  # 🐑
        "\U0001f4a9": "shit",  # 💩
        "\U0001f595": "fuck you",  # 🖕
        "\U0001f412": "monkey",  # 🐒 racist taunt
        "\U0001f98d": "monkey",  # 🦍 racist taunt
        "\U0001f435": "monkey",  # 🐵 racist taunt
        "\U0001f34c": "banana",  # 🍌 racist taunt
        "\U0001f92e": "disgusting",  # 🤮
        "\U0001f922": "disgusting",  # 🤢
        "\U0001f925": "liar",  # 🤥 Pinocchio nose
        "\U0001f52a": "knife",  # 🔪
        "\U0001f52b": "gun",  # 🔫
        "\U0001f644": "",  # 🙄 tone, not a word
    }
)
