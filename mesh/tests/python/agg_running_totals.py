# event: {"tx": [100, -20, 35, -50, 10, -80, 5]}
def handler(event, context):
    balance = 0
    history = []
    lowest = None
    for t in event["tx"]:
        balance += t
        history.append(balance)
        if lowest is None or balance < lowest:
            lowest = balance
    return {"history": history, "final": balance, "lowest": lowest, "overdrawn": any(h < 0 for h in history)}
