# event: {"rows": [["mon", "t1", 3], ["mon", "t2", 5], ["tue", "t1", 2], ["wed", "t2", 9], ["tue", "t2", 1], ["mon", "t1", 4]]}
def handler(event, context):
    days = []
    sensors = []
    cells = {}
    for day, sensor, v in event["rows"]:
        if day not in days:
            days.append(day)
        if sensor not in sensors:
            sensors.append(sensor)
        cells[(day, sensor)] = cells.get((day, sensor), 0) + v
    table = [[day] + [cells.get((day, s), 0) for s in sensors] for day in days]
    return {"header": ["day"] + sensors, "table": table}
