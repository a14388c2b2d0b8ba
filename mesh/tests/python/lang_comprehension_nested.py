# event: {"n": 4}
def handler(event, context):
    n = event["n"]
    grid = [[r * n + c for c in range(n)] for r in range(n)]
    transposed = [[row[i] for row in grid] for i in range(n)]
    flat = [x for row in grid for x in row if x % 3 == 0]
    pairs = [(a, b) for a in range(3) for b in range(a, 3)]
    diag = [grid[i][i] for i in range(n)]
    return {"grid": grid, "t": transposed, "flat": flat, "pairs": pairs, "diag": diag}
