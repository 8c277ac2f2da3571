"""sum-numbers: adds numbers with the get-sum tool of server-everything, one pair at a time."""
import re

from servers.everything import get_sum

# get-sum answers in prose: "The sum of 2 and 3 is 5."
ANSWER = re.compile(r"is (-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\.?$")


def text_of(value):
    """A prose answer arrives as MCP content items ([{"type": "text", "text": ...}]): join their text."""
    if isinstance(value, list):
        return " ".join(item.get("text", "") for item in value if isinstance(item, dict)).strip()
    return str(value).strip()


def run(input):
    numbers = input["numbers"]
    total = numbers[0]
    for value in numbers[1:]:
        answer = text_of(get_sum(a=total, b=value))
        match = ANSWER.search(answer)
        if not match:
            raise ValueError("unexpected get-sum answer: %r" % (answer,))
        total = float(match.group(1))
        if total == int(total):
            total = int(total)
    return {"total": total, "calls": len(numbers) - 1}
