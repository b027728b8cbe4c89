import { decodeXml } from '@ecole/bank'
import { EcoleError } from '@ecole/core'
import { Node, readXml } from './xml'

/** The SDI messages namespace. */
export const SDI_MESSAGES_NAMESPACE = 'http://www.fatturapa.gov.it/sdi/messaggi/v1.0'

/**
 * The kinds of SDI receipts and notifications, by the two letters of their file names:
 * RC delivery receipt, NS rejection, MC failed delivery, NE outcome (from a PA customer), EC the
 * customer's outcome, SE rejection of that outcome, DT deadline passed, AT transmission
 * certificate (could not be delivered), MT metadata of a received file.
 *
 * @example
 * SDI_RECEIPT_KINDS.NS //=> 'NotificaScarto'
 */
export const SDI_RECEIPT_KINDS = {
  RC: 'RicevutaConsegna',
  NS: 'NotificaScarto',
  MC: 'NotificaMancataConsegna',
  NE: 'NotificaEsito',
  EC: 'NotificaEsitoCommittente',
  SE: 'ScartoEsitoCommittente',
  DT: 'NotificaDecorrenzaTermini',
  AT: 'AttestazioneTrasmissioneFattura',
  MT: 'MetadatiInvioFile',
} as const

/** A kind of SDI receipt. */
export type SdiReceiptKind = keyof typeof SDI_RECEIPT_KINDS

/** An SDI receipt or notification read. */
export interface SdiReceipt {
  /** Which message (RC, NS, MC, NE, EC, SE, DT, AT, MT). */
  kind: SdiReceiptKind
  /** IdentificativoSdI: the exchange system's id of the file it is about. */
  sdiId: string
  /** NomeFile: the invoice file it is about, when given. */
  fileName: string | null
  /** DataOraRicezione: when SDI received the file, as written, when given. */
  receivedAt: string | null
  /** DataOraConsegna: when it was delivered (RC), when given. */
  deliveredAt: string | null
  /** The errors of a rejection (NS), each with its code and text. */
  errors: Array<{ code: string; description: string }>
  /** The outcome code (EC01 accepted, EC02 refused) of NE / EC, or the rejection code of SE. */
  outcome: string | null
  /** MessageId. */
  messageId: string | null
  /** Note or Descrizione, when given. */
  note: string | null
}

/**
 * Reads an SDI receipt or notification (the XML the exchange system sends about an invoice file:
 * delivered, rejected with its errors, not delivered, accepted or refused by the customer, deadline
 * passed...).
 *
 * @example
 * const r = parseSdiReceipt(xml)
 * r.kind //=> 'NS'
 * r.errors //=> [{ code: '00100', description: 'Certificato di firma scaduto' }]
 * @throws EcoleError `FATTURAPA_MALFORMED` when it is not one of the SDI messages, or misses its identifier.
 */
export function parseSdiReceipt(input: string | Uint8Array): SdiReceipt {
  let xml: string
  try {
    xml = decodeXml(input, 'SDI receipt')
  } catch (e) {
    if ((e as { code?: string }).code === 'INVALID_INPUT') throw e
    throw new EcoleError('FATTURAPA_MALFORMED', e instanceof Error ? e.message.replace(/^\[ecole\] /, '') : String(e), { details: { field: 'document' }, cause: e })
  }
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1)
  const doc = readXml(xml, 'SDI receipt')
  const entry = (Object.entries(SDI_RECEIPT_KINDS) as Array<[SdiReceiptKind, string]>).find(([, root]) => typeof doc[root] === 'object' && doc[root] !== null)
  if (!entry) {
    throw new EcoleError('FATTURAPA_MALFORMED', `SDI receipt: the root element must be one of ${Object.values(SDI_RECEIPT_KINDS).join(', ')}`, { details: { field: 'document' } })
  }
  if (!xml.includes(SDI_MESSAGES_NAMESPACE)) {
    throw new EcoleError('FATTURAPA_MALFORMED', `${entry[1]}: must be in the namespace ${SDI_MESSAGES_NAMESPACE}`, { details: { field: entry[1] } })
  }
  const root = new Node(doc[entry[1]] as Record<string, unknown>, entry[1])
  const nested = root.child('EsitoCommittente')
  return {
    kind: entry[0],
    sdiId: root.needText('IdentificativoSdI'),
    fileName: root.text('NomeFile'),
    receivedAt: root.text('DataOraRicezione'),
    deliveredAt: root.text('DataOraConsegna'),
    errors: (root.child('ListaErrori')?.all('Errore') ?? []).map((e) => ({ code: e.needText('Codice'), description: e.text('Descrizione') ?? '' })),
    outcome: root.text('Esito') ?? nested?.text('Esito') ?? root.text('Scarto'),
    messageId: root.text('MessageId'),
    note: root.text('Note') ?? root.text('Descrizione'),
  }
}
