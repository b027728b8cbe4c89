import { createHash, verify as verifySignature, X509Certificate, type KeyObject } from 'node:crypto'
import { EcoleError } from '@ecole/core'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { BerError, children, encoded, is, oid, readTlv, text, time, value, type Tlv } from './ber'

/** Who signed a `.p7m` envelope, as its certificate names them (nothing here is checked against a trust list). */
export interface EnvelopeSigner {
  /** The subject's common name (CN). */
  commonName: string | null
  /** The subject's serial number attribute (in Italian qualified certificates: `TINIT-` and the fiscal code). */
  serialNumber: string | null
  /** The subject's organization (O), when it has one. */
  organization: string | null
  /** The subject's country (C). */
  country: string | null
  /** The certificate's issuer common name (the certification authority). */
  issuer: string | null
  /** The certificate's validity, as ISO 8601 instants. */
  validFrom: string | null
  /** End of the certificate's validity. */
  validTo: string | null
}

/**
 * A CAdES (CMS SignedData) envelope opened: its signed content and what the signature says.
 * `intact` is true when the signature over the signed attributes verifies with the signer's
 * certificate and the content's digest is the one signed: the content was not altered after
 * signing. The certificate chain, revocation and the signer's authority are NOT checked.
 */
export interface SignedEnvelope {
  /** How the envelope was written: DER bytes, or DER in base64 (with or without line breaks). */
  encoding: 'der' | 'base64'
  /** The signed content (the FatturaPA XML bytes). */
  content: Uint8Array
  /** The first signer. */
  signer: EnvelopeSigner
  /** The signing time the signer declared (signed attribute), ISO 8601, when present. */
  signingTime: string | null
  /** Whether the content and its signature agree (the content was not tampered with). */
  intact: boolean
  /** Why it is not intact, when it is not. */
  problem: string | null
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

function corrupt(what: string, cause?: unknown): EcoleError {
  return new EcoleError('FATTURAPA_ENVELOPE_CORRUPT', `p7m: ${what}`, { details: { field: 'p7m', problem: what }, cause })
}

/**
 * The DER bytes of an envelope given as DER or as base64 text (line breaks and spaces allowed),
 * or `undefined` when the bytes are neither. @internal
 *
 * @example
 * envelopeBytes(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])) //=> { der: Uint8Array [...], encoding: 'der' }
 */
export function envelopeBytes(bytes: Uint8Array): { der: Uint8Array; encoding: 'der' | 'base64' } | undefined {
  if (bytes[0] === 0x30) return { der: bytes, encoding: 'der' }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').replace(/[\s]+/g, '')
  if (text.length < 16 || text.length % 4 !== 0 || !BASE64.test(text) || !text.startsWith('M')) return undefined
  const der = new Uint8Array(Buffer.from(text, 'base64'))
  return der[0] === 0x30 ? { der, encoding: 'base64' } : undefined
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2'
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4'
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5'

/** What an envelope's certificate gives: the names reported and the public key, read once per certificate. */
interface CertificateInfo {
  der: Uint8Array
  issuer: Uint8Array
  serial: Uint8Array
  signer: EnvelopeSigner
  key: KeyObject | null
}

const NO_SIGNER: EnvelopeSigner = { commonName: null, serialNumber: null, organization: null, country: null, issuer: null, validFrom: null, validTo: null }

/** The first value of each attribute type of a Name (RDNSequence). */
function names(name: Tlv): Map<string, string> {
  const out = new Map<string, string>()
  if (!is(name, 0, 16, true)) throw new BerError('a name is not a SEQUENCE')
  for (const set of children(name)) {
    if (!is(set, 0, 17, true)) throw new BerError('a relative distinguished name is not a SET')
    for (const atv of children(set)) {
      if (!is(atv, 0, 16, true)) throw new BerError('an attribute of a name is not a SEQUENCE')
      const [type, val] = children(atv)
      const key = oid(type)
      if (val && !out.has(key)) {
        const t = text(val)
        if (t !== null) out.set(key, t)
      }
    }
  }
  return out
}

// Suppliers sign many files with one certificate: its names and public key are read once.
const certificates = new Map<string, CertificateInfo>()
const CERTIFICATE_CACHE_SIZE = 256

function certificateInfo(cert: Tlv): CertificateInfo {
  const der = encoded(cert)
  const cacheKey = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1')
  const cached = certificates.get(cacheKey)
  if (cached) return cached
  const tbs = children(children(cert)[0] ?? cert)
  const at = is(tbs[0], 2, 0) ? 1 : 0
  const [serial, , issuer, validity, subject] = tbs.slice(at)
  if (!is(serial, 0, 2, false) || !is(issuer, 0, 16, true) || !is(validity, 0, 16, true) || !is(subject, 0, 16, true)) throw new BerError('a certificate without serial number, issuer, validity and subject')
  const s = names(subject)
  const [from, to] = children(validity)
  let key: KeyObject | null = null
  try {
    key = new X509Certificate(der).publicKey
  } catch {
    key = null
  }
  const info: CertificateInfo = {
    der, issuer: encoded(issuer), serial: value(serial), key,
    signer: {
      commonName: s.get('2.5.4.3') ?? null, serialNumber: s.get('2.5.4.5') ?? null, organization: s.get('2.5.4.10') ?? null, country: s.get('2.5.4.6') ?? null,
      issuer: names(issuer).get('2.5.4.3') ?? null, validFrom: from ? time(from) : null, validTo: to ? time(to) : null,
    },
  }
  if (certificates.size >= CERTIFICATE_CACHE_SIZE) certificates.delete(certificates.keys().next().value!)
  certificates.set(cacheKey, info)
  return info
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)
}

/** A CMS SignedData envelope walked to what is read and checked. */
interface Walked {
  content: Uint8Array
  certificate: CertificateInfo | undefined
  hash: string | undefined
  signatureAlgorithm: string
  signedAttributes: Tlv | undefined
  messageDigest: Uint8Array | undefined
  signingTime: string | null
  signature: Uint8Array
}

/**
 * Walks ContentInfo → SignedData → encapsulated content, certificates and the first SignerInfo
 * (RFC 5652 §5) with the BER reader: no object per node, the content's bytes not copied.
 */
function walk(der: Uint8Array): Walked {
  const [type, explicit] = children(readTlv(der))
  const contentType = oid(type)
  if (contentType !== OID_SIGNED_DATA) throw new BerError(`content type ${contentType} is not SignedData`)
  if (!is(explicit, 2, 0, true)) throw new BerError('the SignedData is missing')
  const signedData = children(explicit)[0]
  if (!is(signedData, 0, 16, true)) throw new BerError('the SignedData is not a SEQUENCE')
  const parts = children(signedData)
  const encapsulated = parts[2]
  if (!is(parts[0], 0, 2, false) || !is(parts[1], 0, 17, true) || !is(encapsulated, 0, 16, true)) throw new BerError('the SignedData has no version, digest algorithms and encapsulated content')
  for (const algorithm of children(parts[1])) algorithmOid(algorithm)
  const [encapsulatedType, wrapped] = children(encapsulated)
  oid(encapsulatedType)
  const eContent = wrapped && is(wrapped, 2, 0, true) ? children(wrapped)[0] : undefined
  if (!is(eContent, 0, 4)) throw new NoContent()
  const certs = parts.find((p) => is(p, 2, 0, true))
  const infos = parts[parts.length - 1]
  if (parts.length < 4 || !is(infos, 0, 17, true)) throw new BerError('the SignedData has no signer infos')
  const first = children(infos)[0]
  if (!first) throw new NoSigner()
  const info = children(first)
  const [, sid, digestAlgorithm] = info
  let i = 3
  const signedAttributes = is(info[i], 2, 0, true) ? info[i++] : undefined
  const signatureAlgorithm = info[i++]
  const signature = info[i]
  let issuerAndSerial: [Uint8Array, Uint8Array] | undefined
  if (is(sid, 0, 16, true)) {
    const [issuer, serial] = children(sid)
    if (!is(issuer, 0, 16, true) || !is(serial, 0, 2, false)) throw new BerError('the signer identifier is not an issuer and serial number')
    names(issuer)
    issuerAndSerial = [encoded(issuer), value(serial)]
  } else if (!is(sid, 2, 0, false)) {
    throw new BerError('the signer info has no signer identifier')
  }
  if (!is(digestAlgorithm, 0, 16, true) || !is(signatureAlgorithm, 0, 16, true) || !is(signature, 0, 4)) throw new BerError('the signer info has no algorithms and signature')
  let messageDigest: Uint8Array | undefined
  let signingTime: string | null = null
  for (const attribute of signedAttributes ? children(signedAttributes) : []) {
    const [attrType, values] = children(attribute)
    const attrOid = oid(attrType)
    if (!is(values, 0, 17, true)) throw new BerError(`the signed attribute ${attrOid} has no values`)
    const v = children(values)[0]
    if (attrOid === OID_MESSAGE_DIGEST && is(v, 0, 4)) messageDigest = value(v)
    else if (attrOid === OID_SIGNING_TIME && v) signingTime = time(v)
  }
  const candidates = certs ? children(certs).filter((c) => is(c, 0, 16, true)).map(certificateInfo) : []
  let certificate = candidates[0]
  if (issuerAndSerial) {
    const [issuer, serial] = issuerAndSerial
    certificate = candidates.find((c) => sameBytes(c.issuer, issuer) && sameBytes(c.serial, serial)) ?? certificate
  }
  return {
    content: value(eContent), certificate, hash: DIGESTS[algorithmOid(digestAlgorithm)], signatureAlgorithm: algorithmOid(signatureAlgorithm),
    signedAttributes, messageDigest, signingTime, signature: value(signature),
  }
}

/** The algorithm of an AlgorithmIdentifier (SEQUENCE { OID, parameters }). */
function algorithmOid(algorithm: Tlv): string {
  if (!is(algorithm, 0, 16, true)) throw new BerError('an algorithm identifier is not a SEQUENCE')
  return oid(children(algorithm)[0])
}

class NoContent extends Error {}
class NoSigner extends Error {}

const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512', '1.3.14.3.2.26': 'sha1',
}
const SIGNATURES = new Set([
  '1.2.840.113549.1.1.1', '1.2.840.113549.1.1.5', '1.2.840.113549.1.1.11', '1.2.840.113549.1.1.12', '1.2.840.113549.1.1.13',
  '1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4',
])

/**
 * The CAdES check done with Node's crypto, synchronously: the content's digest must be the signed
 * `messageDigest` attribute, and the signature over the signed attributes (re-tagged as a SET,
 * RFC 5652 §5.4) must verify with the certificate's public key (imported once per certificate).
 * `undefined` when this path does not apply (no signed attributes, an algorithm it does not
 * handle, a key Node cannot read): pkijs decides then.
 */
function verifyWithNode(w: Walked): { intact: boolean; problem: string | null } | undefined {
  if (w.hash === undefined || w.messageDigest === undefined) return undefined
  try {
    const digest = createHash(w.hash).update(w.content).digest()
    if (!digest.equals(w.messageDigest)) return { intact: false, problem: "message digest doesn't match: the content differs from what was signed" }
    const key = w.certificate?.key
    if (!key || w.signedAttributes === undefined || w.signedAttributes.indefinite || !SIGNATURES.has(w.signatureAlgorithm)) return undefined
    const data = Buffer.from(encoded(w.signedAttributes))
    data[0] = 0x31
    const ok = verifySignature(w.hash, data, key, w.signature)
    return ok ? { intact: true, problem: null } : { intact: false, problem: 'the signature over the signed attributes does not verify with the signer\'s certificate' }
  } catch {
    return undefined
  }
}

/** pkijs's own check, for what Node's crypto does not cover here (no signed attributes, RSASSA-PSS...). */
async function verifyWithPkijs(der: Uint8Array): Promise<{ intact: boolean; problem: string | null }> {
  try {
    const asn = asn1js.fromBER(der, { parseEmbedded: false })
    if (asn.offset === -1) throw new Error(asn.result.error || 'unreadable BER')
    const signed = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn.result }).content })
    const result = await signed.verify({ signer: 0, checkChain: false, extendedMode: true })
    return result.signatureVerified === true ? { intact: true, problem: null } : { intact: false, problem: result.message || 'the signature does not verify' }
  } catch (e) {
    return { intact: false, problem: e instanceof Error ? e.message : String((e as { message?: unknown })?.message ?? e) }
  }
}
/**
 * Opens a signed `.p7m` envelope (CAdES-BES, CMS SignedData with the content attached), as DER
 * or base64 with or without line breaks, with `pkijs` and `asn1js`: returns the signed content, the
 * first signer's certificate names and whether the content still matches its signature. An
 * envelope signed inside another (a file signed twice) is opened down to the content.
 *
 * The certificate chain is not validated: `intact` says the bytes were not altered since they
 * were signed by the holder of that certificate, not that the certificate is trustworthy.
 *
 * @example
 * const env = await openSignedEnvelope(p7mBytes)
 * env.signer.commonName //=> 'ROSSI MARIO'
 * env.intact //=> true
 * @throws EcoleError `FATTURAPA_ENVELOPE_CORRUPT` when the bytes are not a SignedData envelope with attached content and a signer.
 */
/**
 * Opens a signed `.p7m` envelope (CAdES-BES, CMS SignedData with the content attached), as DER
 * or base64 with or without line breaks: returns the signed content, the first signer's
 * certificate names and whether the content still matches its signature. An envelope signed
 * inside another (a file signed twice) is opened down to the content.
 *
 * The envelope is walked with a small BER reader and the signature checked with Node's crypto,
 * the signer's names and public key read once per certificate; `pkijs` + `asn1js` check what that
 * path does not handle (a signature without signed attributes, RSASSA-PSS).
 * The certificate chain is not validated: `intact` says the bytes were not altered since they
 * were signed by the holder of that certificate, not that the certificate is trustworthy.
 *
 * @example
 * const env = await openSignedEnvelope(p7mBytes)
 * env.signer.commonName //=> 'ROSSI MARIO'
 * env.intact //=> true
 * @throws EcoleError `FATTURAPA_ENVELOPE_CORRUPT` when the bytes are not a SignedData envelope with attached content and a signer.
 */
export async function openSignedEnvelope(bytes: Uint8Array): Promise<SignedEnvelope> {
  if (!(bytes instanceof Uint8Array)) throw corrupt('the envelope must be bytes (Uint8Array)')
  const found = envelopeBytes(bytes)
  if (!found) throw corrupt('neither DER nor base64 of a DER envelope')
  return openEnvelopeDer(found.der, found.encoding)
}

/**
 * Opens the DER of an envelope found by {@link envelopeBytes} (the base64 already decoded). @internal
 *
 * @example
 * const found = envelopeBytes(p7mBytes)
 * if (found) await openEnvelopeDer(found.der, found.encoding)
 * @throws EcoleError `FATTURAPA_ENVELOPE_CORRUPT` as {@link openSignedEnvelope}.
 */
export async function openEnvelopeDer(der: Uint8Array, encoding: 'der' | 'base64'): Promise<SignedEnvelope> {
  let w: Walked
  try {
    w = walk(der)
  } catch (e) {
    if (e instanceof NoContent) throw corrupt('the envelope has no attached content (detached signatures are not FatturaPA files)')
    if (e instanceof NoSigner) throw corrupt('the envelope has no signer')
    throw corrupt(`not a CMS SignedData envelope (${e instanceof Error ? e.message : String(e)})`, e)
  }
  const { intact, problem } = verifyWithNode(w) ?? (await verifyWithPkijs(der))
  const content = new Uint8Array(w.content)
  // a content signed again inside (a file signed twice): open it down to the XML
  if (content[0] === 0x30) {
    const inner = await openEnvelopeDer(content, 'der')
    return { ...inner, encoding, intact: intact && inner.intact, problem: problem ?? inner.problem }
  }
  return { encoding, content, signer: { ...(w.certificate?.signer ?? NO_SIGNER) }, signingTime: w.signingTime, intact, problem }
}
