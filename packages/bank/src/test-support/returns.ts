import { create } from 'xmlbuilder2'

/** A debit of ours that the bank sends back, for building test files. */
export interface ReturnedDebit {
  endToEndId: string
  amount: string
  mandateId: string
  debtorName: string
  debtorIban: string
  reason: string
  collectionDate: string
}

/** A pain.002.001.10 rejecting `debits` of the pain.008 `originalMessageId`, written with xmlbuilder2 (independent of the parser). */
export function pain002Rejecting(originalMessageId: string, paymentInformationId: string, debits: ReturnedDebit[]): string {
  return create({ version: '1.0', encoding: 'UTF-8' })
    .ele({
      Document: {
        '@xmlns': 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10',
        CstmrPmtStsRpt: {
          GrpHdr: { MsgId: 'BANK-RJCT-0001', CreDtTm: '2026-12-04T18:00:00+01:00' },
          OrgnlGrpInfAndSts: { OrgnlMsgId: originalMessageId, OrgnlMsgNmId: 'pain.008.001.08', GrpSts: 'PART' },
          OrgnlPmtInfAndSts: {
            OrgnlPmtInfId: paymentInformationId,
            PmtInfSts: 'PART',
            TxInfAndSts: debits.map((d, i) => ({
              StsId: `RJ-${i + 1}`,
              OrgnlEndToEndId: d.endToEndId,
              TxSts: 'RJCT',
              StsRsnInf: { Rsn: { Cd: d.reason }, AddtlInf: `Rejected: ${d.reason}` },
              OrgnlTxRef: {
                Amt: { InstdAmt: { '@Ccy': 'EUR', '#': d.amount } },
                ReqdColltnDt: d.collectionDate,
                MndtRltdInf: { MndtId: d.mandateId },
                Dbtr: { Pty: { Nm: d.debtorName } },
                DbtrAcct: { Id: { IBAN: d.debtorIban } },
              },
            })),
          },
        },
      },
    })
    .end({ prettyPrint: true })
}

/** A camt.054.001.08 notifying the return (debit entries with `RtrInf`) of `debits`, written with xmlbuilder2. */
export function camt054Returning(creditorIban: string, debits: ReturnedDebit[]): string {
  return create({ version: '1.0', encoding: 'UTF-8' })
    .ele({
      Document: {
        '@xmlns': 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08',
        BkToCstmrDbtCdtNtfctn: {
          GrpHdr: { MsgId: 'NTF-2026-12-10', CreDtTm: '2026-12-10T07:00:00+01:00' },
          Ntfctn: {
            Id: 'NTF-2026-12-10-1',
            CreDtTm: '2026-12-10T07:00:00+01:00',
            Acct: { Id: { IBAN: creditorIban }, Ccy: 'EUR' },
            Ntry: debits.map((d, i) => ({
              NtryRef: `N${i + 1}`,
              Amt: { '@Ccy': 'EUR', '#': d.amount },
              CdtDbtInd: 'DBIT',
              Sts: { Cd: 'BOOK' },
              BookgDt: { Dt: '2026-12-10' },
              ValDt: { Dt: '2026-12-10' },
              AcctSvcrRef: `RTN-2026-12-10-${i + 1}`,
              BkTxCd: { Domn: { Cd: 'PMNT', Fmly: { Cd: 'RDDT', SubFmlyCd: 'UPDD' } } },
              NtryDtls: {
                TxDtls: {
                  Refs: { EndToEndId: d.endToEndId, MndtId: d.mandateId },
                  Amt: { '@Ccy': 'EUR', '#': d.amount },
                  CdtDbtInd: 'DBIT',
                  RltdPties: { Dbtr: { Pty: { Nm: d.debtorName } }, DbtrAcct: { Id: { IBAN: d.debtorIban } } },
                  RtrInf: { Rsn: { Cd: d.reason }, AddtlInf: `Returned: ${d.reason}` },
                },
              },
            })),
          },
        },
      },
    })
    .end({ prettyPrint: true })
}
