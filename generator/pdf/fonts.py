"""Font fallback chains per role, checked against the fonts Typst can actually see."""

from __future__ import annotations

from dataclasses import dataclass

import typst

from generator.model import Publication
from generator.problems import UserError

# The Latin face is not configurable in site_config.yml: a Times-like serif, as offices expect.
LATIN_CHAIN = ("Times New Roman", "Liberation Serif", "TeX Gyre Termes")

ROLES: dict[str, tuple[str, str, str]] = {
    # role: (what it is for, a free fallback family, the Debian package that has it)
    "masthead": ("报头（小标宋）", "Noto Serif CJK SC", "fonts-noto-cjk-extra"),
    "body": ("正文（仿宋）", "Noto Serif CJK SC", "fonts-noto-cjk"),
    "heading": ("标题（黑体）", "Noto Sans CJK SC", "fonts-noto-cjk"),
    "kai": ("编者按与目录（楷体）", "LXGW WenKai", "fonts-lxgw-wenkai"),
    "latin": ("西文与数字（Times 类衬线）", "Liberation Serif", "fonts-liberation"),
}


class FontsMissing(UserError):
    """No font of some role is installed; the message says what to install."""


@dataclass(frozen=True)
class ResolvedFonts:
    chains: dict[str, list[str]]  # role -> the configured families that exist, in order
    font_paths: list[str]
    files: list[str]  # the font files of those families: part of the PDF cache's fingerprint


def resolve_fonts(publication: Publication) -> ResolvedFonts:
    """Each role's available families; raise FontsMissing naming every role that has none."""
    paths = [str(path) for path in publication.fonts.paths if path.is_dir()]
    fonts = typst.Fonts(font_paths=paths).fonts()
    available = {font.family.casefold() for font in fonts}
    configured = {
        "masthead": publication.fonts.masthead,
        "body": publication.fonts.body,
        "heading": publication.fonts.heading,
        "kai": publication.fonts.kai,
        "latin": LATIN_CHAIN,
    }
    chains: dict[str, list[str]] = {}
    missing: list[str] = []
    for role, families in configured.items():
        found = [family for family in families if family.casefold() in available]
        if found:
            chains[role] = found
        else:
            purpose, free, package = ROLES[role]
            install = f"Debian 软件包 {package}（sudo apt-get install {package}）"
            if free.casefold() in (family.casefold() for family in families):
                fix = f"请安装{install}"
            elif free.casefold() in available:
                fix = f"请在 site_config.yml 的 fonts.{role} 末尾加上已安装的免费字体 {free}"
            else:
                fix = f"请在 site_config.yml 的 fonts.{role} 末尾加上免费字体 {free} 并安装{install}"
            missing.append(
                f"{purpose}：找不到字体 {'、'.join(families)} 中的任何一个。"
                f"{fix}，或在 fonts.paths 中指定存放所列字体的文件夹。"
            )
    if missing:
        raise FontsMissing("\n".join(missing))
    used = {family.casefold() for families in chains.values() for family in families}
    files = sorted({font.path for font in fonts if font.path and font.family.casefold() in used})
    return ResolvedFonts(chains, paths, files)
