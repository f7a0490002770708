"""CSS font stacks from site_config.yml's font chains, with local fallbacks only (no web fonts).

Each family is written as a CSS identifier, with every ASCII character outside [A-Za-z0-9_-]
escaped as `\\hex `, so the stack contains no quote, `<` or `&`: it is the same text
after HTML escaping, and no family name can end the declaration or the <style> element.
"""

from __future__ import annotations

from generator.model import FontChains

SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "Songti SC", "SimSun", "serif")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif")
KAI = ("LXGW WenKai", "KaiTi", "STKaiti", *SERIF)
QUOTES = "jb-quotes"
"""The theme's @font-face (jianbao.css) for “ ” ‘ ’ only, from a local font that sets them a full
character wide: LXGW WenKai, the 楷体 most machines here have, draws them half width."""
_GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


def font_stacks(fonts: FontChains) -> dict[str, str]:
    """The stacks the theme's CSS variables take: masthead (小标宋), heading (黑体), kai (楷体).

    The body text on screen uses the theme's own serif stack: 仿宋 suits paper, not screens.
    """
    return {
        "masthead": css_font_stack((*fonts.masthead, *SERIF)),
        "heading": css_font_stack((*fonts.heading, *SANS)),
        "kai": css_font_stack((QUOTES, *fonts.kai, *KAI)),
        "serif": css_font_stack(SERIF),
    }


def css_font_stack(families: tuple[str, ...]) -> str:
    seen: list[str] = []
    for family in families:
        family = family.strip()
        if family and family not in seen:
            seen.append(family)
    return ", ".join(family if family in _GENERIC else _identifier(family) for family in seen)


def _identifier(family: str) -> str:
    """`Noto Serif CJK SC` -> `Noto Serif CJK SC`; `方正 3号` -> `方正 \\33 号`."""
    words = []
    for word in family.split():
        escaped = []
        for index, character in enumerate(word):
            if not character.isascii():
                plain = character.isprintable()
            else:
                plain = character.isalpha() or character in "_-" or (character.isdigit() and index > 0)
            if plain and not (index == 0 and character == "-"):
                escaped.append(character)
            else:
                escaped.append(f"\\{ord(character):x} ")
        words.append("".join(escaped))
    return " ".join(words)
