# event: {"n": 10, "disks": 6}
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)

def hanoi(n, src, dst, via, moves):
    if n == 0:
        return moves
    hanoi(n - 1, src, via, dst, moves)
    moves.append(src + dst)
    hanoi(n - 1, via, dst, src, moves)
    return moves

def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))

def handler(event, context):
    moves = hanoi(event["disks"], "A", "C", "B", [])
    return {"fact": fact(event["n"]), "fact20": fact(20), "moves": len(moves), "first": moves[:5], "ack": ackermann(2, 3)}
