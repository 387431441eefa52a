"""Placeholder: save/load come with the nn change."""


def save(obj, path) -> None:
    raise NotImplementedError


def load(path):
    raise NotImplementedError
