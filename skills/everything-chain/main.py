"""A chain over server-everything: fold numbers with get-sum, weather per city, echo a report."""
import re
from concurrent.futures import ThreadPoolExecutor

from servers.everything import echo, get_structured_content, get_sum

SUM = re.compile(r"is (-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\.?$")


def text_of(value):
    """Prose answers arrive as MCP content items ([{"type": "text", "text": ...}]); join their text."""
    if isinstance(value, list):
        return " ".join(item.get("text", "") for item in value if isinstance(item, dict)).strip()
    return str(value).strip()


def add(a, b):
    # get-sum answers in prose: "The sum of 1 and 2 is 3."
    text = text_of(get_sum(a=a, b=b))
    match = SUM.search(text)
    if not match:
        raise ValueError("unexpected get-sum answer: %r" % (text,))
    return float(match.group(1))


def run(input):
    numbers = input["numbers"]
    total = float(numbers[0])
    for value in numbers[1:]:
        total = add(total, value)

    cities = list(dict.fromkeys(input["cities"]))
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda city: get_structured_content(location=city), cities))
    weather = dict(zip(cities, answers))
    warmest = max(cities, key=lambda city: weather[city]["temperature"])

    if total == int(total):
        total = int(total)
    line = "sum=%s over %d numbers; warmest: %s (%s C, %s)" % (
        total, len(numbers), warmest, weather[warmest]["temperature"], weather[warmest]["conditions"])
    echoed = text_of(echo(message=line))
    report = echoed[len("Echo: "):] if echoed.startswith("Echo: ") else echoed
    return {
        "total": total,
        "additions": len(numbers) - 1,
        "weather": weather,
        "warmest": warmest,
        "report": report,
    }
