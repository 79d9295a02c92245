"""Run the book's tests (tests/test_book*.py) last: under make test they wait for the book build started in the background."""


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.nodeid.startswith("tests/test_book"))  # stable: keeps the rest in order
