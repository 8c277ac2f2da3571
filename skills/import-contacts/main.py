"""Import a JSON contact list from a file into the memory knowledge graph.

The file's emails and phone numbers are tokenized by the bridge before this program sees them ([EMAIL_1],
[PHONE_1], ...); the tokens this program passes to create_entities are restored to the real values on the way to the
memory server. So memory holds the real contacts while the result, the logs and the model see only tokens."""
import json

from servers.filesystem import read_text_file
from servers.memory import create_entities


def run(input):
    contacts = json.loads(read_text_file(path=input["path"])["content"])
    entities = [
        {
            "name": person["name"],
            "entityType": "person",
            "observations": [
                f"email: {person['email']}",
                f"phone: {person['phone']}",
                f"team: {person['team']}",
            ],
        }
        for person in contacts
    ]
    create_entities(entities=entities)
    teams = {}
    for person in contacts:
        teams[person["team"]] = teams.get(person["team"], 0) + 1
    first = contacts[0] if contacts else None
    sample = f"{first['name']} <{first['email']}> {first['phone']}" if first else ""
    print("imported", len(entities), "contacts, e.g.", sample)
    return {"imported": len(entities), "teams": teams, "sample": sample}
