# Regenerates tests/vectors/rfc4475/*.sip and *.expect (run from anywhere: python3 generate.py).
# The messages follow RFC 4475 §3; Content-Length values are computed from the bodies
# except where the wrong value is the point of the test (clerr, ncl, mcl01).
import os
OUT = os.path.dirname(os.path.abspath(__file__))
CRLF = b'\r\n'

def sdp(o_ip, c_ip, t='0 0', s=True):
    lines = ['v=0', f'o=mhandley 29739 7272939 IN IP4 {o_ip}']
    if s: lines.append('s=-')
    lines += [f'c=IN IP4 {c_ip}', f't={t}', 'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC']
    return ('\r\n'.join(lines) + '\r\n').encode()

def msg(lines, body=b'', cl=None, blank=True):
    """lines: list of str/bytes header lines incl start line; '{CL}' is replaced by the body length."""
    out = b''
    for l in lines:
        if isinstance(l, str): l = l.encode('utf-8')
        l = l.replace(b'{CL}', str(len(body) if cl is None else cl).encode())
        out += l + CRLF
    if blank: out += CRLF
    return out + body

V = {}   # name -> (bytes, expect dict)

def add(name, data, section, **exp):
    V[name] = (data, dict(section=section, **exp))

SDP_198 = sdp('192.0.2.198', '192.0.2.198')

# ---- 3.1.1 valid -------------------------------------------------------------
add('wsinv', msg([
 'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
 'TO :',
 ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
 'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
 '  ;',
 '  tag = 98asjd8',
 'MaX-fOrWaRdS: 0068',
 'Call-ID: wsinv.ndaksdj@192.0.2.1',
 'Content-Length   : {CL}',
 'cseq: 0009',
 '  INVITE',
 'Via  : SIP  /   2.0',
 ' /UDP',
 '    192.0.2.2;branch=390skdjuw',
 's :',
 'NewFangledHeader:   newfangled value',
 ' continued newfangled value',
 'UnknownHeaderWithUnusualValue: ;;,,;;,;',
 'Content-Type: application/sdp',
 'Route:',
 ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
 'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
 '  branch  =   z9hG4bK9ikj8  ,',
 ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
 ' z9hG4bK30239',
 'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
 '      newvalue ;',
 '  secondparam ; q = 0.33',
], sdp('192.0.2.3', '192.0.2.4')), '3.1.1.1 A Short Tortuous INVITE',
 parse='ok', method='INVITE', request_uri='sip:vivekg@chair-dnrc.example.com;unknownparam',
 call_id='wsinv.ndaksdj@192.0.2.1', cseq='9 INVITE', body_bytes=150)

add('intmeth', msg([
 b"!interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0",
 b"Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
 b'To: "BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
 "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439\";tag=_token~1'+`*%!-.".encode(),
 b"Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{",
 b"CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~",
 b'Max-Forwards: 255',
 b"extensionHeader-!.%*+_`'~:\xef\xbb\xbf\xe5\xa4\xa7\xe5\x81\x9c\xe9\x9b\xbb",
 b'Content-Length: 0',
]), '3.1.1.2 Wide Range of Valid Characters',
 parse='ok', method="!interesting-Method0123456789_*+`.%indeed'~",
 call_id="intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{",
 cseq="139122385 !interesting-Method0123456789_*+`.%indeed'~", body_bytes=0)

add('esc01', msg([
 'INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0',
 'To: sip:%75se%72@example.com',
 'From: <sip:I%20have%20spaces@example.net>;tag=938',
 'Max-Forwards: 87',
 'i: esc01.239409asdfakjkn23onasd0-3234',
 'CSeq: 234234 INVITE',
 'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
 'C: application/sdp',
 'Contact:',
 '  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
 'Content-Length: {CL}',
], sdp('192.0.2.1', '192.0.2.1')), '3.1.1.3 Valid Use of the % Escaping Mechanism',
 parse='ok', method='INVITE', request_uri='sip:sips%3Auser%40example.com@example.net',
 call_id='esc01.239409asdfakjkn23onasd0-3234', cseq='234234 INVITE', body_bytes=150)

add('escnull', msg([
 'REGISTER sip:example.com SIP/2.0',
 'To: sip:null-%00-null@example.com',
 'From: sip:null-%00-null@example.com;tag=839923423',
 'Max-Forwards: 70',
 'Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
 'CSeq: 14398234 REGISTER',
 'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
 'Contact: <sip:%00@host5.example.com>',
 'Contact: <sip:%00%00@host5.example.com>',
 'L:0',
]), '3.1.1.4 Escaped Nulls in URIs',
 parse='ok', method='REGISTER', call_id='escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
 cseq='14398234 REGISTER', body_bytes=0)

add('esc02', msg([
 'RE%47IST%45R sip:registrar.example.com SIP/2.0',
 'To: "%Z%45" <sip:resource@example.com>',
 'From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23',
 'Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
 'Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234',
 'CSeq: 29344 RE%47IST%45R',
 'Max-Forwards: 70',
 'Contact: <sip:alias1@host1.example.com>',
 'C%6Fntact: <sip:alias2@host2.example.com>',
 'Contact: <sip:alias3@host3.example.com>',
 'l: 0',
]), '3.1.1.5 Use of % When It Is Not an Escape',
 parse='ok', method='RE%47IST%45R', call_id='esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
 cseq='29344 RE%47IST%45R', body_bytes=0)

add('lwsdisp', msg([
 'OPTIONS sip:user@example.com SIP/2.0',
 'To: sip:user@example.com',
 'From: caller<sip:caller@example.com>;tag=323',
 'Max-Forwards: 70',
 'Call-ID: lwsdisp.1234abcd@funky.example.com',
 'CSeq: 60 OPTIONS',
 'Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw',
 'l: 0',
]), '3.1.1.6 Message with No LWS between Display Name and <',
 parse='ok', method='OPTIONS', call_id='lwsdisp.1234abcd@funky.example.com', cseq='60 OPTIONS', body_bytes=0)

long_to = ('To: "I have a user name of ' + 'extreme' * 10 + ' proportion"<sip:user@example.com:6000;unknownparam1=very'
           + 'long' * 20 + 'value;longparam' + 'name' * 25 + '=shortvalue;very' + 'long' * 25 + 'ParameterNameWithNoValue>')
long_from = ('F: sip:' + 'amazinglylongcallername' * 5 + '@example.net;tag=12' + '982' * 30 + '424;unknownheaderparam'
             + 'name' * 20 + '=unknowheaderparam' + 'value' * 15 + ';unknownValueless' + 'paramname' * 10)
vias = ['Via: SIP/2.0/TCP sip33.example.com', 'v: SIP/2.0/TCP sip32.example.com', 'V: SIP/2.0/TCP sip31.example.com',
        'Via: SIP/2.0/TCP sip30.example.com', 'ViA: SIP/2.0/TCP sip29.example.com', 'VIa: SIP/2.0/TCP sip28.example.com',
        'VIA: SIP/2.0/TCP sip27.example.com', 'via: SIP/2.0/TCP sip26.example.com', 'viA: SIP/2.0/TCP sip25.example.com',
        'vIa: SIP/2.0/TCP sip24.example.com', 'vIA: SIP/2.0/TCP sip23.example.com', 'V :  SIP/2.0/TCP sip22.example.com',
        'v :  SIP/2.0/TCP sip21.example.com', 'V  : SIP/2.0/TCP sip20.example.com', 'v  : SIP/2.0/TCP sip19.example.com',
        'Via : SIP/2.0/TCP sip18.example.com', 'Via  : SIP/2.0/TCP sip17.example.com']
vias += [f'Via: SIP/2.0/TCP sip{i}.example.com' for i in range(16, 0, -1)]
vias += ['Via: SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=very' + 'long' * 50 + 'branchvalue']
add('longreq', msg([
 'INVITE sip:user@example.com SIP/2.0', long_to, long_from,
 'Call-ID: longreq.one' + 'really' * 20 + 'longcallid',
 'CSeq: 3882340 INVITE',
 'Unknown-' + 'Long' * 20 + '-Name: unknown-' + 'long' * 20 + '-value; unknown-' + 'long' * 20
   + '-parameter-name = unknown-' + 'long' * 20 + '-parameter-value',
] + vias + [
 'Max-Forwards: 70',
 'Contact: <sip:' + 'amazinglylongcallername' * 5 + '@host5.example.net>',
 'Content-Type: application/sdp',
 'l: {CL}',
], sdp('192.0.2.1', '192.0.2.1')), '3.1.1.7 Long Values in Header Fields',
 parse='ok', method='INVITE', call_id='longreq.one' + 'really' * 20 + 'longcallid', cseq='3882340 INVITE',
 body_bytes=150, via_count=34)

dbl_first = msg([
 'REGISTER sip:example.com SIP/2.0',
 'To: sip:j.user@example.com',
 'From: sip:j.user@example.com;tag=43251j3j324',
 'Max-Forwards: 8',
 'I: dblreq.0ha0isndaksdj99sdfafnl3lk233412',
 'Contact: sip:j.user@host.example.com',
 'CSeq: 8 REGISTER',
 'Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492',
 'Content-Length: 0',
])
dbl_second = msg([
 'INVITE sip:joe@example.com SIP/2.0',
 't: sip:joe@example.com',
 'From: sip:caller@example.net;tag=141334',
 'Max-Forwards: 8',
 'Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15',
 'CSeq: 8 INVITE',
 'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234',
 'Content-Type: application/sdp',
 'Content-Length: {CL}',
], sdp('192.0.2.15', '192.0.2.15'))
add('dblreq', dbl_first + dbl_second, '3.1.1.8 Extra Trailing Octets in a UDP Datagram',
 parse='ok', method='REGISTER', call_id='dblreq.0ha0isndaksdj99sdfafnl3lk233412', cseq='8 REGISTER',
 body_bytes=0, consumed=len(dbl_first))

add('semiuri', msg([
 'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
 'To: sip:j_user@example.com',
 'From: sip:caller@example.org;tag=33242',
 'Max-Forwards: 3',
 'Call-ID: semiuri.0ha0isndaksdj',
 'CSeq: 8 OPTIONS',
 'Accept: application/sdp, application/pkcs7-mime,',
 '        multipart/mixed, multipart/signed,',
 '        message/sip, message/sipfrag',
 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw',
 'l: 0',
]), '3.1.1.9 Semicolon-Separated Parameters in URI User Part',
 parse='ok', method='OPTIONS', request_uri='sip:user;par=u%40example.net@example.com',
 call_id='semiuri.0ha0isndaksdj', cseq='8 OPTIONS', body_bytes=0)

add('transports', msg([
 'OPTIONS sip:user@example.com SIP/2.0',
 'To: sip:user@example.com',
 'From: <sip:caller@example.com>;tag=323',
 'Max-Forwards: 70',
 'Call-ID:  transports.kijh4akdnaqjkwendsasfdj',
 'Accept: application/sdp',
 'CSeq: 60 OPTIONS',
 'Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw',
 'Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf',
 'Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj',
 'Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
 'Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee',
 'l: 0',
]), '3.1.1.10 Varied and Unknown Transport Types',
 parse='ok', method='OPTIONS', call_id='transports.kijh4akdnaqjkwendsasfdj', cseq='60 OPTIONS',
 body_bytes=0, via_count=5)

# mpart01: a multipart/mixed body whose second part is raw binary (the RFC's
# is a DER-encoded CMS blob); Content-Length alone frames it.
blob = bytes([0x30, 0x82, 0x01, 0x52, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
              0x82, 0x01, 0x43, 0x30, 0x82, 0x01, 0x3f, 0x02, 0x01, 0x01, 0x31, 0x09, 0x30, 0x07, 0x06, 0x05,
              0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
              0x07, 0x01, 0x31, 0x82, 0x01, 0x20, 0x30, 0x82, 0x01, 0x1c, 0x02, 0x01, 0x01, 0x30, 0x7c, 0x30,
              0x70, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x55, 0x53, 0x31, 0x13,
              0x00, 0x00, 0x0d, 0x0a, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0xfe, 0x0a, 0x0a, 0x0d, 0x00, 0x7f])
blob += bytes((i * 37 + 11) % 256 for i in range(160))
mp_body = (b'--7a9cbec02ceef655\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n\r\nHello\r\n'
           b'--7a9cbec02ceef655\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'
           + blob + b'\r\n--7a9cbec02ceef655--\r\n')
add('mpart01', msg([
 'MESSAGE sip:kumiko@example.org SIP/2.0',
 'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport',
 'Max-Forwards: 70',
 'Route: <sip:127.0.0.1:5080>',
 'Identity: r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuLIK0YWVKZhKv9Mj8UeXqkMVbnVq37CD+813gvYjcBUaZngQmXc9WNZSDNGCzA+fWl9MEUHWIZo1CeJebdY/XlgKeTa0Olvq0rt70Q5jiSfbqMJmQFteeivUhkMWYUA=',
 'Contact: <sip:fluffy@127.0.0.1:5070>',
 'To: <sip:kumiko@example.org>',
 'From: <sip:fluffy@example.com>;tag=2fb0dcc9',
 'Call-ID: 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..',
 'CSeq: 1 MESSAGE',
 'Content-Transfer-Encoding: binary',
 'Content-Type: multipart/mixed;boundary=7a9cbec02ceef655',
 'Date: Sat, 15 Oct 2005 04:44:56 GMT',
 'User-Agent: SIPimp.org/0.2.5 (curses)',
 'Content-Length: {CL}',
], mp_body), '3.1.1.11 Multipart MIME Message',
 parse='ok', method='MESSAGE', call_id='3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..', cseq='1 MESSAGE',
 body_bytes=len(mp_body))

add('unreason', msg([
 'SIP/2.0 200 = 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u0442\u044c - \u043f\u0440\u043e\u0441\u0442\u043e\u0435',
 'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
 'Call-ID: unreason.1234ksdfak3j2erwedfsASdf',
 'CSeq: 35 INVITE',
 'From: sip:user@example.com;tag=11141343',
 'To: sip:user@example.edu;tag=2229',
 'Content-Length: {CL}',
 'Content-Type: application/sdp',
 'Contact: <sip:user@host198.example.com>',
], SDP_198), '3.1.1.12 Unusual Reason Phrase',
 parse='ok', status=200,
 reason='= 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u0442\u044c - \u043f\u0440\u043e\u0441\u0442\u043e\u0435',
 call_id='unreason.1234ksdfak3j2erwedfsASdf', cseq='35 INVITE', body_bytes=len(SDP_198))

add('noreason', msg([
 'SIP/2.0 100 ',
 'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
 'Call-ID: noreason.asndj203insdf99223ndf',
 'CSeq: 35 INVITE',
 'From: <sip:user@example.com>;tag=39ansfi3',
 'To: <sip:user@example.edu>;tag=902jndnke3',
 'Content-Length: 0',
 'Contact: <sip:user@host105.example.com>',
]), '3.1.1.13 Empty Reason Phrase',
 parse='ok', status=100, reason='', call_id='noreason.asndj203insdf99223ndf', cseq='35 INVITE', body_bytes=0)

# ---- 3.1.2 invalid -----------------------------------------------------------
add('badinv01', msg([
 'INVITE sip:user@example.com SIP/2.0',
 'To: sip:j.user@example.com',
 'From: sip:caller@example.net;tag=134161461246',
 'Max-Forwards: 7',
 'Call-ID: badinv01.0ha0isndaksdjasdf3234nas',
 'CSeq: 8 INVITE',
 'Via: SIP/2.0/UDP 192.0.2.15;;,;,,',
 'Contact: "Joe" <sip:joe@example.org>;;;;',
 'Content-Length: {CL}',
 'Content-Type: application/sdp',
], sdp('192.0.2.15', '192.0.2.15')), '3.1.2.1 Extraneous Header Field Separators',
 parse='ok', layer='header', call_id='badinv01.0ha0isndaksdjasdf3234nas', cseq='8 INVITE')

add('clerr', msg([
 'INVITE sip:user@example.com SIP/2.0',
 'Max-Forwards: 80',
 'To: sip:j.user@example.com',
 'From: sip:caller@example.net;tag=93942939o2',
 'Contact: <sip:caller@hungry.example.net>',
 'Call-ID: clerr.0ha0isndaksdjweiafasdk3',
 'CSeq: 8 INVITE',
 'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-39234-23523',
 'Content-Type: application/sdp',
 'Content-Length: 9999',
], sdp('192.0.2.155', '192.0.2.155')), '3.1.2.2 Content Length Larger Than Message',
 parse='incomplete')

add('ncl', msg([
 'INVITE sip:user@example.com SIP/2.0',
 'Max-Forwards: 254',
 'To: sip:j.user@example.com',
 'From: sip:caller@example.net;tag=32394234',
 'Call-ID: ncl.0ha0isndaksdj2193423r542w35',
 'CSeq: 0 INVITE',
 'Via: SIP/2.0/UDP 192.0.2.53;branch=z9hG4bKkdjuw',
 'Contact: <sip:caller@example53.example.net>',
 'Content-Type: application/sdp',
 'Content-Length: -999',
], sdp('192.0.2.53', '192.0.2.53')), '3.1.2.3 Negative Content-Length',
 parse='bad-content-length')

add('scalar02', msg([
 'REGISTER sip:example.com SIP/2.0',
 'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3',
 'To: <sip:user@example.com>',
 'From: <sip:user@example.com>;tag=239232jh3',
 'CSeq: 36893488147419103232 REGISTER',
 'Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32',
 'Max-Forwards: 300',
 'Expires: 1' + '0' * 100,
 'Contact: <sip:user@host129.example.com>',
 '  ;expires=280297596632815',
 'Content-Length: 0',
]), '3.1.2.4 Request Scalar Fields with Overlarge Values',
 parse='ok', layer='header', call_id='scalar02.23o0pd9vanlq3wnrlnewofjas9ui32')

add('scalarlg', msg([
 'SIP/2.0 503 Service Unavailable',
 'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129',
 'To: <sip:user@example.com>',
 'From: <sip:other@example.net>;tag=2easdjfejw',
 'CSeq: 9292394834772304023312 OPTIONS',
 'Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r',
 'Retry-After: 949302838503028349304023988',
 'Warning: 1812 overture "In Progress"',
 'Content-Length: 0',
]), '3.1.2.5 Response Scalar Fields with Overlarge Values',
 parse='ok', layer='header', status=503, call_id='scalarlg.noase0of0234hn2qofoaf0232aewf2394r')

add('quotbal', msg([
 'INVITE sip:user@example.com SIP/2.0',
 'To: "Mr. J. User <sip:j.user@example.com>',
 'From: sip:caller@example.net;tag=93334',
 'Max-Forwards: 10',
 'Call-ID: quotbal.aksdj',
 'Contact: <sip:caller@host59.example.net>',
 'CSeq: 8 INVITE',
 'Via: SIP/2.0/UDP 192.0.2.59:5050;branch=z9hG4bKkdjuw39234',
 'Content-Type: application/sdp',
 'Content-Length: {CL}',
], sdp('192.0.2.15', '192.0.2.15')), '3.1.2.6 Unterminated Quoted String in Display Name',
 parse='ok', layer='header', call_id='quotbal.aksdj')

SDP_T = lambda ip: sdp(ip, ip, t='3149328700 0')
add('ltgtruri', msg([
 'INVITE <sip:user@example.com> SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:caller@example.net;tag=39291',
 'Max-Forwards: 23',
 'Call-ID: ltgtruri.1@192.0.2.5',
 'CSeq: 1 INVITE',
 'Via: SIP/2.0/UDP 192.0.2.5',
 'Contact: <sip:caller@host5.example.net>',
 'Content-Type: application/sdp',
 'Content-Length: {CL}',
], SDP_T('192.0.2.5')), '3.1.2.7 <> Enclosing Request-URI', parse='bad-request-uri')

add('lwsruri', msg([
 'INVITE sip:user@example.com; lr SIP/2.0',
 'To: sip:user@example.com;tag=3xfe-9921883-z9f',
 'From: sip:caller@example.net;tag=231413434',
 'Max-Forwards: 5',
 'Call-ID: lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423',
 'CSeq: 2130706432 INVITE',
 'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKkdjuw2395',
 'Contact: <sip:caller@host1.example.net>',
 'Content-Type: application/sdp',
 'Content-Length: {CL}',
], SDP_T('192.0.2.1')), '3.1.2.8 Malformed SIP Request-URI (embedded LWS)', parse='bad-start-line')

add('lwsstart', msg([
 'INVITE  sip:user@example.com  SIP/2.0',
 'Max-Forwards: 8',
 'To: sip:user@example.com',
 'From: sip:caller@example.net;tag=8814',
 'Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com',
 'CSeq: 1893884 INVITE',
 'Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw3923',
 'Contact: <sip:caller@host1.example.net>',
 'Content-Type: application/sdp',
 'Content-Length: {CL}',
], sdp('192.0.2.1', '192.0.2.1')), '3.1.2.9 Multiple SP Separating Request-Line Elements', parse='bad-start-line')

add('trws', msg([
 'OPTIONS sip:remote-target@example.com SIP/2.0  ',
 'Via: SIP/2.0/TCP host1.examle.com;branch=z9hG4bK299342093',
 'To: <sip:remote-target@example.com>',
 'From: <sip:local-resource@example.com>;tag=329429089',
 'Call-ID: trws.oicu34958239neffasdhr2345r',
 'Accept: application/sdp',
 'CSeq: 238923 OPTIONS',
 'Max-Forwards: 70',
 'Content-Length: 0',
]), '3.1.2.10 SP Characters at End of Request-Line', parse='bad-start-line')

add('escruri', msg([
 'INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:caller@example.net;tag=341518',
 'Max-Forwards: 7',
 'Contact: <sip:caller@host39923.example.net>',
 'Call-ID: escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5',
 'CSeq: 149209342 INVITE',
 'Via: SIP/2.0/UDP host-of-the-hour.example.com;branch=z9hG4bKkdjuw',
 'Content-Type: application/sdp',
 'Content-Length: {CL}',
], sdp('192.0.2.1', '192.0.2.1')), '3.1.2.11 Escaped Headers in SIP Request-URI',
 parse='ok', layer='ua', request_uri='sip:user@example.com?Route=%3Csip:example.com%3E')

add('baddate', msg([
 'INVITE sip:user@example.com SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:caller@example.net;tag=2234923',
 'Max-Forwards: 70',
 'Call-ID: baddate.239423mnsadf3j23lj42--sedfnm234',
 'CSeq: 1392934 INVITE',
 'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw',
 'Date: Fri, 01 Jan 2010 16:00:00 EST',
 'Contact: <sip:caller@host5.example.net>',
 'Content-Type: application/sdp',
 'Content-Length: {CL}',
], sdp('192.0.2.5', '192.0.2.5')), '3.1.2.12 Invalid Time Zone in Date Header Field',
 parse='ok', layer='ua', call_id='baddate.239423mnsadf3j23lj42--sedfnm234')

add('regbadct', msg([
 'REGISTER sip:example.com SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:user@example.com;tag=998332',
 'Max-Forwards: 70',
 'Call-ID: regbadct.k345asrl3fdbv@10.0.0.1',
 'CSeq: 1 REGISTER',
 'Via: SIP/2.0/UDP 135.180.130.133:5060;branch=z9hG4bKkdjuw',
 'Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E',
 'l: 0',
]), '3.1.2.13 Failure to Enclose name-addr URI in <>', parse='ok', layer='header', call_id='regbadct.k345asrl3fdbv@10.0.0.1')

add('badaspec', msg([
 'OPTIONS sip:user@example.org SIP/2.0',
 'Via: SIP/2.0/UDP host4.example.com:5060;branch=z9hG4bKkdju43234',
 'Max-Forwards: 70',
 'From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423',
 'To: "Watson, Thomas" < sip:t.watson@example.org >',
 'Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3',
 'Accept: application/sdp',
 'CSeq: 3923239 OPTIONS',
 'l: 0',
]), '3.1.2.14 Spaces within addr-spec', parse='ok', layer='header', call_id='badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3')

add('baddn', msg([
 'OPTIONS sip:t.watson@example.org SIP/2.0',
 'Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw',
 'Max-Forwards:      70',
 'From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43',
 'To:      Watson, Thomas <sip:t.watson@example.org>',
 'Call-ID: baddn.31415@c.example.com',
 'Accept: application/sdp',
 'CSeq:    3923239 OPTIONS',
 'l: 0',
]), '3.1.2.15 Non-token Characters in Display Name', parse='ok', layer='header', call_id='baddn.31415@c.example.com')

add('badvers', msg([
 'OPTIONS sip:t.watson@example.org SIP/7.0',
 'Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw',
 'Max-Forwards:     70',
 'From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe',
 'To:      T. Watson <sip:t.watson@example.org>',
 'Call-ID: badvers.31417@c.example.com',
 'CSeq:    1 OPTIONS',
 'l: 0',
]), '3.1.2.16 Unknown Protocol Version', parse='bad-version')

add('mismatch01', msg([
 'OPTIONS sip:user@example.com SIP/2.0',
 'To: sip:j.user@example.com',
 'From: sip:caller@example.net;tag=34525',
 'Max-Forwards: 6',
 'Call-ID: mismatch01.dj0234sxdfl3',
 'CSeq: 8 INVITE',
 'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw',
 'l: 0',
]), '3.1.2.17 Start Line and CSeq Method Mismatch', parse='ok', layer='ua', method='OPTIONS', cseq='8 INVITE')

mm2_body = b'v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.1\r\nm=audio 49217 RTP/AVP 0 12\r\nm=video 3227 RTP/AVP 31\r\na=rtpmap:31 LPC\r\n'
add('mismatch02', msg([
 'NEWMETHOD sip:user@example.com SIP/2.0',
 'To: sip:j.user@example.com',
 'From: sip:caller@example.net;tag=34525',
 'Max-Forwards: 6',
 'Call-ID: mismatch02.dj0234sxdfl3',
 'CSeq: 8 INVITE',
 'Contact: <sip:caller@host.example.net>',
 'Via: SIP/2.0/UDP host.example.net;branch=z9hG4bKkdjuw',
 'Content-Type: application/sdp',
 'l: {CL}',
], mm2_body), '3.1.2.18 Unknown Method with CSeq Method Mismatch', parse='ok', layer='ua', method='NEWMETHOD', cseq='8 INVITE', body_bytes=len(mm2_body))

add('bigcode', msg([
 'SIP/2.0 4294967301 better not break the receiver',
 'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
 'Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i',
 'CSeq: 353494 INVITE',
 'From: <sip:user@example.com>;tag=39ansfi3',
 'To: <sip:user@example.edu>;tag=902jndnke3',
 'Content-Length: 0',
 'Contact: <sip:user@host105.example.com>',
]), '3.1.2.19 Overlarge Response Code', parse='bad-status')

# ---- 3.2 transaction layer, 3.3 application layer (framing-valid) -------------
add('badbranch', msg([
 'OPTIONS sip:user@example.com SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:caller@example.org;tag=33242',
 'Max-Forwards: 3',
 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK',
 'Accept: application/sdp',
 'Call-ID: badbranch.sadonfo23i420jv0as0derf3j3n',
 'CSeq: 8 OPTIONS',
 'l: 0',
]), '3.2.1 Missing Transaction Identifier', parse='ok', layer='txn', call_id='badbranch.sadonfo23i420jv0as0derf3j3n')

add('insuf', msg([
 'INVITE sip:user@example.com SIP/2.0',
 'CSeq: 193942 INVITE',
 'Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf',
 'Content-Type: application/sdp',
 'l: {CL}',
], sdp('192.0.2.95', '192.0.2.95')), '3.3.1 Missing Required Header Fields', parse='ok', layer='message-semantics', cseq='193942 INVITE')

add('unkscm', msg([
 'OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:caller@example.net;tag=384',
 'Max-Forwards: 3',
 'Call-ID: unkscm.nasdfasser0q239nwsdfasdkl34',
 'CSeq: 3923423 OPTIONS',
 'Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234',
 'Content-Length: 0',
]), '3.3.2 Request-URI with Unknown Scheme', parse='ok', layer='ua', request_uri='nobodyKnowsThisScheme:totallyopaquecontent')

add('novelsc', msg([
 'OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:caller@example.net;tag=384',
 'Max-Forwards: 3',
 'Call-ID: novelsc.asdfasser0q239nwsdfasdkl34',
 'CSeq: 3923423 OPTIONS',
 'Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234',
 'Content-Length: 0',
]), '3.3.3 Request-URI with Known but Atypical Scheme', parse='ok', layer='ua', request_uri='soap.beep://192.0.2.103:3002')

add('unksm2', msg([
 'REGISTER sip:example.com SIP/2.0',
 'To: isbn:2983792873',
 'From: <http://www.example.com>;tag=3234233',
 'Call-ID: unksm2.daksdj@hyphenated-host.example.com',
 'CSeq: 234902 REGISTER',
 'Max-Forwards: 70',
 'Via: SIP/2.0/UDP 192.0.2.21:5060;branch=z9hG4bKkdjuw',
 'Contact: <name:John_Smith>',
 'l: 0',
]), '3.3.4 Unknown URI Schemes in Header Fields', parse='ok', layer='ua', call_id='unksm2.daksdj@hyphenated-host.example.com')

add('bext01', msg([
 'OPTIONS sip:user@example.com SIP/2.0',
 'To: sip:j_user@example.com',
 'From: sip:caller@example.net;tag=242etr',
 'Max-Forwards: 6',
 'Call-ID: bext01.0ha0isndaksdj',
 'Require: nothingSupportsThis, nothingSupportsThisEither',
 'Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis',
 'CSeq: 8 OPTIONS',
 'Via: SIP/2.0/TLS fold-and-staple.example.com;branch=z9hG4bKkdjuw',
 'Content-Length: 0',
]), '3.3.5 Proxy-Require and Require', parse='ok', layer='ua', call_id='bext01.0ha0isndaksdj')

INVUT_BODY = b'<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n'
add('invut', msg([
 'INVITE sip:user@example.com SIP/2.0',
 'Contact: <sip:caller@host5.example.net>',
 'To: sip:j.user@example.com',
 'From: sip:caller@example.net;tag=8392034',
 'Max-Forwards: 70',
 'Call-ID: invut.0ha0isndaksdjadsfij34n23d',
 'CSeq: 235448 INVITE',
 'Via: SIP/2.0/UDP somehost.example.com;branch=z9hG4bKkdjuw',
 'Content-Type: application/unknownformat',
 'Content-Length: {CL}',
], INVUT_BODY), '3.3.6 Unknown Content-Type', parse='ok', layer='ua', body_bytes=len(INVUT_BODY))

add('regaut01', msg([
 'REGISTER sip:example.com SIP/2.0',
 'To: sip:j.user@example.com',
 'From: sip:j.user@example.com;tag=87321hj23128',
 'Max-Forwards: 8',
 'Call-ID: regaut01.0ha0isndaksdj',
 'CSeq: 9338 REGISTER',
 'Via: SIP/2.0/TCP 192.0.2.253;branch=z9hG4bKkdjuw',
 'Authorization: NoOneKnowsThisScheme opaque-data=here',
 'Content-Length:0',
]), '3.3.7 Unknown Authorization Scheme', parse='ok', layer='ua', call_id='regaut01.0ha0isndaksdj')

add('multi01', msg([
 'INVITE sip:user@company.com SIP/2.0',
 'Contact: <sip:caller@host25.example.net>',
 'Via: SIP/2.0/UDP 192.0.2.25;branch=z9hG4bKkdjuw',
 'Max-Forwards: 70',
 'CSeq: 5 INVITE',
 'Call-ID: multi01.98asdh@192.0.2.1',
 'CSeq: 59 INVITE',
 'Call-ID: multi01.98asdh@192.0.2.2',
 'From: sip:caller@example.com;tag=3413415',
 'To: sip:user@example.com',
 'To: sip:other@example.net',
 'From: sip:caller@example.net;tag=2923420123',
 'Content-Type: application/sdp',
 'l: {CL}',
 'Contact: <sip:caller@host36.example.net>',
 'Max-Forwards: 5',
], sdp('192.0.2.25', '192.0.2.25')), '3.3.8 Multiple Values in Single Value Required Fields',
 parse='ok', layer='ua', call_id='multi01.98asdh@192.0.2.1', cseq='5 INVITE')

add('mcl01', msg([
 'OPTIONS sip:user@example.com SIP/2.0',
 'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423',
 'To: sip:user@example.com',
 'From: sip:other@example.net;tag=3923942',
 'Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf',
 'CSeq: 15932 OPTIONS',
 'Content-Length: 13',
 'Max-Forwards: 60',
 'Content-Length: 5',
 'Content-Type: text/plain',
], b"There's no way to know how many octets are supposed to be here.\r\n"),
 '3.3.9 Multiple Content-Length Values', parse='bad-content-length')

add('bcast', msg([
 'SIP/2.0 200 OK',
 'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
 'Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23',
 'Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf',
 'CSeq: 35 INVITE',
 'From: sip:user@example.com;tag=11141343',
 'To: sip:user@example.edu;tag=2229',
 'Content-Length: {CL}',
 'Content-Type: application/sdp',
 'Contact: <sip:user@host28.example.com>',
], SDP_198), '3.3.10 200 OK Response with Broadcast Via Header Field Value',
 parse='ok', layer='transport', status=200, call_id='bcast.0384840201234ksdfak3j2erwedfsASdf', via_count=2)

add('zeromf', msg([
 'OPTIONS sip:user@example.com SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:caller@example.net;tag=3ghsd41',
 'Call-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas',
 'CSeq: 39234321 OPTIONS',
 'Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw2349i',
 'Max-Forwards: 0',
 'Content-Length: 0',
]), '3.3.11 Max-Forwards of Zero', parse='ok', call_id='zeromf.jfasdlfnm2o2l43r5u0asdfas', cseq='39234321 OPTIONS')

add('cparam01', msg([
 'REGISTER sip:example.com SIP/2.0',
 'Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw',
 'Max-Forwards: 70',
 'From: sip:watson@example.com;tag=DkfVgjkrtMwaerKKpe',
 'To: sip:watson@example.com',
 'Call-ID: cparam01.70710@saturn.example.com',
 'CSeq: 2 REGISTER',
 'Contact: sip:+19725552222@gw1.example.net;unknownparam',
 'l: 0',
]), '3.3.12 REGISTER with a Contact Header Parameter', parse='ok', call_id='cparam01.70710@saturn.example.com')

add('cparam02', msg([
 'REGISTER sip:example.com SIP/2.0',
 'Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw',
 'Max-Forwards: 70',
 'From: sip:watson@example.com;tag=838293',
 'To: sip:watson@example.com',
 'Call-ID: cparam02.70710@saturn.example.com',
 'CSeq: 3 REGISTER',
 'Contact: <sip:+19725552222@gw1.example.net;unknownparam>',
 'l: 0',
]), '3.3.13 REGISTER with a url-parameter', parse='ok', call_id='cparam02.70710@saturn.example.com')

add('regescrt', msg([
 'REGISTER sip:example.com SIP/2.0',
 'To: sip:user@example.com',
 'From: sip:user@example.com;tag=8',
 'Max-Forwards: 70',
 'Call-ID: regescrt.k345asrl3fdbv@192.0.2.1',
 'CSeq: 14398234 REGISTER',
 'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
 'M: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>',
 'L:0',
]), '3.3.14 REGISTER with a URL Escaped Header', parse='ok', call_id='regescrt.k345asrl3fdbv@192.0.2.1')

add('sdp01', msg([
 'INVITE sip:user@example.com SIP/2.0',
 'To: sip:j_user@example.com',
 'Contact: <sip:caller@host15.example.net>',
 'From: sip:caller@example.net;tag=234',
 'Max-Forwards: 5',
 'Call-ID: sdp01.ndaksdj9342dasdd',
 'Accept: text/nobodyKnowsThis',
 'CSeq: 8 INVITE',
 'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw',
 'Content-Length: {CL}',
 'Content-Type: application/sdp',
], sdp('192.0.2.5', '192.0.2.5')), '3.3.15 Unacceptable Accept Offering', parse='ok', layer='ua', call_id='sdp01.ndaksdj9342dasdd')

inv2543_body = b'v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\nm=audio 49217 RTP/AVP 0\r\n'
add('inv2543', msg([
 'INVITE sip:UserB@example.com SIP/2.0',
 'Via: SIP/2.0/UDP iftgw.example.com',
 'From: <sip:+13035551111@ift.client.example.net;user=phone>',
 'Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>',
 'To: sip:+16505552222@ss1.example.net;user=phone',
 'Call-ID: inv2543.1717@ift.client.example.com',
 'CSeq: 56 INVITE',
 'Content-Type: application/sdp',
], inv2543_body), '3.4.1 INVITE with RFC 2543 Syntax (no Content-Length: body is the rest of the datagram)',
 parse='ok', call_id='inv2543.1717@ift.client.example.com', cseq='56 INVITE', body_bytes=len(inv2543_body))

os.makedirs(OUT, exist_ok=True)
for name, (data, exp) in V.items():
    with open(f'{OUT}/{name}.sip', 'wb') as f: f.write(data)
    with open(f'{OUT}/{name}.expect', 'w', encoding='utf-8') as f:
        f.write(f"# RFC 4475 §{exp.pop('section')}\n")
        for k, v in exp.items():
            f.write(f'{k}={v}\n')
print(len(V), 'vectors written to', OUT)
