// Porch's only script. Loaded as <script type="module">, so it runs only in
// browsers that GOV.UK Frontend supports; pages work without it.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
