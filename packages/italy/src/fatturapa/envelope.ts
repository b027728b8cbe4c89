import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto'
import { EcoleError } from '@ecole/core'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'

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

function rdn(name: pkijs.RelativeDistinguishedNames | undefined, oid: string): string | null {
  const found = name?.typesAndValues.find((t) => t.type === oid)
  const v = found?.value as { valueBlock?: { value?: unknown } } | undefined
  return typeof v?.valueBlock?.value === 'string' ? v.valueBlock.value : null
}

function iso(time: pkijs.Time | undefined): string | null {
  try {
    return time ? time.value.toISOString() : null
  } catch {
    return null
  }
}

function signerOf(signed: pkijs.SignedData): pkijs.Certificate | undefined {
  const info = signed.signerInfos[0]
  const certs = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
  const sid = info?.sid as unknown
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certs.find((c) => c.serialNumber.isEqual(sid.serialNumber) && c.issuer.isEqual(sid.issuer)) ?? certs[0]
  }
  return certs[0]
}

const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512', '1.3.14.3.2.26': 'sha1',
}
const SIGNATURES = new Set([
  '1.2.840.113549.1.1.1', '1.2.840.113549.1.1.5', '1.2.840.113549.1.1.11', '1.2.840.113549.1.1.12', '1.2.840.113549.1.1.13',
  '1.2.840.10045.4.3.2', '1.2.840.10045.4.3.3', '1.2.840.10045.4.3.4',
])

/**
 * The CAdES check done with Node's crypto, synchronously (pkijs's own check goes through WebCrypto's
 * thread pool, several times slower per envelope under load): the content's digest must be the
 * signed `messageDigest` attribute, and the signature over the signed attributes (re-tagged as a SET,
 * RFC 5652 §5.4) must verify with the certificate's public key. `undefined` when this path does not
 * apply (no signed attributes, an algorithm it does not handle): pkijs decides then.
 */
function verifyWithNode(signed: pkijs.SignedData, cert: pkijs.Certificate, content: Uint8Array): { intact: boolean; problem: string | null } | undefined {
  const info = signed.signerInfos[0]!
  const hash = DIGESTS[info.digestAlgorithm.algorithmId]
  const attrs = info.signedAttrs
  if (hash === undefined || attrs === undefined || !SIGNATURES.has(info.signatureAlgorithm.algorithmId)) return undefined
  try {
    const digestAttr = attrs.attributes.find((a) => a.type === '1.2.840.113549.1.9.4')?.values[0] as asn1js.OctetString | undefined
    if (!digestAttr) return undefined
    const digest = createHash(hash).update(content).digest()
    if (!digest.equals(Buffer.from(digestAttr.valueBlock.valueHexView))) return { intact: false, problem: "message digest doesn't match: the content differs from what was signed" }
    const data = Buffer.from(attrs.encodedValue)
    data[0] = 0x31
    const key = new X509Certificate(Buffer.from(cert.toSchema().toBER(false))).publicKey
    const ok = verifySignature(hash, data, key, Buffer.from(info.signature.valueBlock.valueHexView))
    return ok ? { intact: true, problem: null } : { intact: false, problem: 'the signature over the signed attributes does not verify with the signer\'s certificate' }
  } catch {
    return undefined
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
export async function openSignedEnvelope(bytes: Uint8Array): Promise<SignedEnvelope> {
  if (!(bytes instanceof Uint8Array)) throw corrupt('the envelope must be bytes (Uint8Array)')
  const found = envelopeBytes(bytes)
  if (!found) throw corrupt('neither DER nor base64 of a DER envelope')
  let signed: pkijs.SignedData
  try {
    // parseEmbedded off: asn1js would otherwise try to read the 6 KB+ of XML inside the content's OCTET STRING as BER (most of the time spent)
    const asn = asn1js.fromBER(found.der, { parseEmbedded: false, copyInput: false })
    if (asn.offset === -1) throw new Error(asn.result.error || 'unreadable BER')
    const info = new pkijs.ContentInfo({ schema: asn.result })
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error(`content type ${info.contentType} is not SignedData`)
    signed = new pkijs.SignedData({ schema: info.content })
  } catch (e) {
    throw corrupt(`not a CMS SignedData envelope (${e instanceof Error ? e.message : String(e)})`, e)
  }
  const eContent = signed.encapContentInfo.eContent
  if (!eContent) throw corrupt('the envelope has no attached content (detached signatures are not FatturaPA files)')
  if (signed.signerInfos.length === 0) throw corrupt('the envelope has no signer')
  const content = new Uint8Array(eContent.getValue())
  const cert = signerOf(signed)
  const signer: EnvelopeSigner = {
    commonName: rdn(cert?.subject, '2.5.4.3'), serialNumber: rdn(cert?.subject, '2.5.4.5'), organization: rdn(cert?.subject, '2.5.4.10'),
    country: rdn(cert?.subject, '2.5.4.6'), issuer: rdn(cert?.issuer, '2.5.4.3'), validFrom: iso(cert?.notBefore), validTo: iso(cert?.notAfter),
  }
  const timeAttr = signed.signerInfos[0]!.signedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.5')
  let signingTime: string | null = null
  const t = timeAttr?.values[0] as { toDate?: () => Date } | undefined
  if (t && typeof t.toDate === 'function') {
    const d = t.toDate()
    signingTime = Number.isNaN(d.getTime()) ? null : d.toISOString()
  }
  let { intact, problem } = cert ? verifyWithNode(signed, cert, content) ?? { intact: false, problem: null } : { intact: false, problem: null }
  if (!intact && problem === null) {
    // what Node's crypto does not cover here (no signed attributes, RSASSA-PSS...): pkijs's own check
    try {
      const result = await signed.verify({ signer: 0, checkChain: false, extendedMode: true })
      intact = result.signatureVerified === true
      if (!intact) problem = result.message || 'the signature does not verify'
    } catch (e) {
      problem = e instanceof Error ? e.message : String((e as { message?: unknown })?.message ?? e)
    }
  }
  // a content signed again inside (a file signed twice): open it down to the XML
  if (content[0] === 0x30) {
    const inner = await openSignedEnvelope(content)
    return { ...inner, encoding: found.encoding, intact: intact && inner.intact, problem: problem ?? inner.problem }
  }
  return { encoding: found.encoding, content, signer, signingTime, intact, problem }
}
