import json

def decode(text):
    doc = json.loads(text)
    return normalize(doc)

def normalize(doc):
    return {"reading": doc["reading"], "unit": doc["unit"]}
