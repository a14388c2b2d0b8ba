# event: {"batch_size": 4, "records": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}
def handler(event, context):
    size = event["batch_size"]
    records = event["records"]
    batches = [records[i:i + size] for i in range(0, len(records), size)]
    return {"batches": batches, "n": len(batches), "last_full": len(batches[-1]) == size}
