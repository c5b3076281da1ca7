"""The style folders: searched in order, stacked as layers, and owners of the files they name.

A user's ``--style`` folders come first and the theme's own last, so a file of
the same name overrides the theme's. A ``custom.css`` in any folder is a layer
added after the theme's stylesheets instead (the first folder's last, so it wins).

A relative URL in a style folder's stylesheet (``url("band.png")``) or template
(``<img src="logo.png">``) means a file of that folder, wherever the source is.
The loader rewrites each one, as the file is read, into a call of
``style_url``: the PDF reads the file through the restricted fetcher, which
allows the style folders; the HTML version links to a copy beside it, made by
its writer. A URL that would leave its folder is an error at its line.
Each stylesheet's text is marked with its folder and name (see ``cssplaces``),
so that a warning about it names its own file and line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import jinja2

from .cssplaces import mark
from .styleurls import ATTR_URL, CSS_URL, is_relative


def layer(index: int) -> str:
    """The prefix that names one style folder's own files: ``layer-0/custom.css``."""
    return f"layer-{index}"


def custom_layers(search_path: Sequence[Path]) -> list[str]:
    """Every style folder's ``custom.css``, the theme's side first, so the first folder wins."""
    return [f"{layer(i)}/custom.css" for i, folder in reversed(list(enumerate(search_path)))
            if (folder / "custom.css").is_file()]


def rewrite(source: str, filename: str, index: int) -> str:
    """Turn a style file's relative URLs into ``style_url`` calls; lines stay where they are."""
    def call(url: str) -> str:
        return f"{{{{ style_url({index}, {json.dumps(url)}) }}}}"

    if filename.endswith(".css"):
        return CSS_URL.sub(lambda m: f'url("{call(m["url"])}")' if is_relative(m["url"])
                           else m[0], source)
    return ATTR_URL.sub(lambda m: f'{m["attr"]}={m["q"]}{call(m["url"])}{m["q"]}'
                        if is_relative(m["url"]) else m[0], source)


class StyleLoader(jinja2.FileSystemLoader):
    """A file system loader that knows which style folder each file comes from."""

    def __init__(self, folders: Sequence[str], search_path: Sequence[str]) -> None:
        super().__init__(list(folders))
        self.search_path = [Path(f).resolve() for f in search_path]

    def get_source(self, environment: jinja2.Environment, template: str):  # noqa: ANN201
        """The file's text with its relative URLs bound to its folder; a stylesheet marked."""
        source, filename, uptodate = super().get_source(environment, template)
        path = Path(filename).resolve()
        index = next(i for i, folder in enumerate(self.search_path) if folder in path.parents)
        source = rewrite(source, filename, index)
        if filename.endswith(".css"):
            source = mark(source, index, template)
        return source, filename, uptodate


def loader(search_path: Sequence[str]) -> jinja2.BaseLoader:
    """Look files up in every folder in order, or in one folder by its ``layer-N/`` prefix."""
    layers = {layer(i): StyleLoader([folder], search_path) for i, folder in enumerate(search_path)}
    return jinja2.ChoiceLoader([StyleLoader(search_path, search_path),
                                jinja2.PrefixLoader(layers)])


class StyleAssets:
    """The style files an HTML version links to, {name beside it: file}, found as it renders."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.files: dict[str, Path] = {}

    def add(self, index: int, relative: str, path: Path) -> str:
        """Remember a file to copy and return the URL the page uses for it."""
        name = f"{self.prefix}style-{index}/{relative}"
        self.files[name] = path
        return name


@jinja2.pass_context
def style_url(context: jinja2.runtime.Context, index: int, url: str) -> str:
    """The URL of a file of style folder ``index``: a file: URL, or a copy for the HTML version."""
    folder = Path(context["style_folders"][index]).resolve()
    relative = url.split("?")[0].split("#")[0]
    parts = PurePosixPath(relative).parts
    path = (folder / relative).resolve()
    if not parts or ".." in parts or folder not in path.parents:
        raise jinja2.TemplateRuntimeError(
            f"'{url}' is outside the style folder {folder}; a style file may only use files "
            "of its own folder")
    assets: StyleAssets | None = context.get("style_assets")
    if assets is None:
        return path.as_uri() + url[len(relative):]
    return assets.add(index, PurePosixPath(*parts).as_posix(), path) + url[len(relative):]
