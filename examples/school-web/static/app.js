// Copy buttons: shown only when this script runs; they copy the text of the element they name.
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false
    button.addEventListener('click', async () => {
      const target = document.getElementById(button.dataset.copy)
      if (!target) return
      try {
        await navigator.clipboard.writeText(target.textContent.trim())
        const label = button.textContent
        button.textContent = button.dataset.copied
        setTimeout(() => { button.textContent = label }, 1500)
      } catch {
        const range = document.createRange()
        range.selectNodeContents(target)
        const selection = window.getSelection()
        selection.removeAllRanges()
        selection.addRange(range)
      }
    })
  }
  // print buttons (a printable statement): shown only when this script runs
  for (const button of document.querySelectorAll('button[data-print]')) {
    button.hidden = false
    button.addEventListener('click', () => window.print())
  }
  // the language menu changes at once when scripts run (the button stays for keyboards and no-JS)
  const select = document.getElementById('lang-select')
  if (select) select.addEventListener('change', () => select.form.requestSubmit())
})
