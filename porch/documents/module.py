"""Documents: letters, statements and agreements, and the staff's internal papers."""

from porch.core.modules import (
    AuditKind,
    Category,
    Link,
    Module,
    Owner,
    PersonalModel,
    ResidentRule,
    Switch,
    register,
)
from porch.core.roles import ASB_READERS
from porch.documents.services import DOCUMENT_TYPE_VISIBLE
from porch.documents.synthetic import document_codes, synthetic_documents_create

DOCUMENTS = Switch("documents", "Documents")
DOCUMENTS_DATA = Category(
    "documents",
    "Documents",
    "documents (letters, statements, tenancy agreements; internal documents may include case notes, "
    "anti-social behaviour case files and witness statements)",
)
# A resident's document is theirs only if they are among the people it is about (ADR 0010).
DOCUMENT = AuditKind("document", "a document", "documents", words="a document", residents=ResidentRule.ABOUT_THEM)
# Never shown to residents, and never mentioned to them: even its existence is private.
INTERNAL_DOCUMENT = AuditKind("internal_document", "an internal document", "documents", residents=ResidentRule.NEVER)
ASB_DOCUMENT = AuditKind(
    "asb_document",
    "an anti-social behaviour document",
    "documents",
    residents=ResidentRule.NEVER,
    readers=ASB_READERS,
)
DOCUMENT_TYPE = AuditKind("document_type", "a type of document")

register(
    Module(
        app="documents",
        name="Documents",
        switch=DOCUMENTS,
        personal=(PersonalModel("documents.Document", Owner.TENANCY, "tenancy"),),
        categories=(DOCUMENTS_DATA,),
        audit_kinds=(DOCUMENT, INTERNAL_DOCUMENT, ASB_DOCUMENT, DOCUMENT_TYPE),
        resident_links=(Link("documents:list", "Documents"),),
        staff_links=(Link("documents:staff_types", "Document types"),),
        approvals=(DOCUMENT_TYPE_VISIBLE,),
        probe_ids=document_codes,
        synthetic=synthetic_documents_create,
        pages={
            "documents:list": "Residents: Your documents",
            "documents:download": "Residents: Download a document",
            "documents:staff_upload": "Staff: Add a document to a tenancy",
            "documents:staff_types": "Staff: Document types",
            "documents:staff_type_edit": "Staff: Change a document type",
        },
    )
)
