# event: {"sentence": "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47"}
def nmea_checksum(body):
    c = 0
    for ch in body:
        c ^= ord(ch)
    return c

def handler(event, context):
    s = event["sentence"]
    body, given = s[1:].split("*")
    fields = body.split(",")
    lat = int(fields[2][:2]) + float(fields[2][2:]) / 60
    lon = int(fields[4][:3]) + float(fields[4][3:]) / 60
    return {"type": fields[0], "time": fields[1], "lat": round(lat, 5), "lon": round(lon, 5),
            "sats": int(fields[7]), "alt": float(fields[9]),
            "checksum_ok": nmea_checksum(body) == int(given, 16)}
