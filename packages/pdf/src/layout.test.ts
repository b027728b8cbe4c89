import { describe, expect, it } from 'vitest'
import { Layout } from './layout'

describe('Layout.wrap', () => {
  const layout = () => new Layout({ title: 'Test', author: 'Régie', lang: 'fr-FR', created: new Date(Date.UTC(2027, 0, 4, 12)) }, 'fr')

  it('breaks a multi-line text at its line breaks, LF or CR LF (as a form’s textarea sends them), leaving no CR to print as an empty box', () => {
    expect(layout().wrap('Merci de signaler tout changement.\r\nΕυχαριστούμε\nСпасибо', 500)).toEqual(['Merci de signaler tout changement.', 'Ευχαριστούμε', 'Спасибо'])
  })
})
