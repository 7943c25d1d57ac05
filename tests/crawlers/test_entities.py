from crawlers.extract.entities import crypto_wallets, extract_entities, invite_links, payment_ids, phones

WALLET = "1KuGeqbchzqeKgVRJB7wvEqfAxFvYn4Szf"  # synthetic, valid checksum
TRON = "TAnmC2eWpAjbrVjkPJhiJndPK6p2nLSyAq"  # synthetic, valid checksum


def test_recruitment_style_message():
    text = (f"Закрытый чат: https://t.me/+DemoFakeInvite2026 и t.me/joinchat/AbC123 #Борьба #2024 "
            f"BTC {WALLET} USDT {TRON} ETH 0x52908400098527886E0F7030069857D2E4169EE7")
    entities = extract_entities(text)
    assert entities.hashtags == ["#борьба"]
    assert entities.invite_links == ["https://t.me/+DemoFakeInvite2026", "https://t.me/joinchat/AbC123"]
    assert entities.crypto_wallets == [f"btc:{WALLET}", "eth:0x52908400098527886E0F7030069857D2E4169EE7",
                                       f"trx:{TRON}"]


def test_checksums_reject_look_alikes():
    broken = WALLET[:-1] + ("g" if WALLET[-1] != "g" else "h")
    assert crypto_wallets(f"see {broken}") == []
    assert payment_ids("order 4111 1111 1111 1112") == []
    assert payment_ids("iban GB82 WEST 1234 5698 7654 33") == []


def test_payment_ids_and_phones():
    text = ("card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, yoomoney 410011112222333, "
            "https://boosty.to/someone; call +7 (912) 345-67-89 or 8 912 345 67 89")
    assert payment_ids(text) == ["card:4111111111111111", "iban:GB82WEST12345698765432",
                                 "yoomoney:410011112222333", "donate:boosty.to/someone"]
    assert phones(text) == ["+79123456789"]


def test_links_count_and_channel_links():
    entities = extract_entities("Read more", links=["https://t.me/s/riverside_daily", "https://t.me/share"])
    assert entities.invite_links == ["https://t.me/riverside_daily"]
    assert invite_links("discord.gg/abcDEF and chat.whatsapp.com/XyZ") == [
        "https://discord.gg/abcDEF", "https://chat.whatsapp.com/XyZ"]


def test_neutral_text_has_no_entities():
    entities = extract_entities("The council met on 12.05.2026 at 10:00 in room 101 to discuss the 2027 budget.")
    assert entities.model_dump() == {"hashtags": [], "invite_links": [], "crypto_wallets": [],
                                     "payment_ids": [], "phones": []}
